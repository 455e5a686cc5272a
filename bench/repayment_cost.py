"""Cost of the books' posting in a repayment: ``loans.repayments.repay`` with and without it.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/cashloan_repaybench \\
        .venv/bin/python bench/repayment_cost.py [--loans 300]

Creates a throwaway database (``test_`` + the configured name; dropped at the end), disburses
``--loans`` instalment loans (3000 over 3 months, flat), runs the daily job so their first
period is due, recognised and late, then pays each loan's first period (`current`), the
loans alternating between "with the books" and "posting switched off" so both halves see the
same database. Customer messages are switched off for both (they are not what is measured).
Prints the median and 90th percentile time of a repayment and its SQL statements, each way.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cashloan.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from loans import lifecycle, repayments  # noqa: E402
from loans.overdue import mark_overdue  # noqa: E402

DISBURSED, PAID = date(2025, 3, 1), date(2025, 4, 5)


def make_loans(count: int) -> list:
    from tests.factories import LoanApplicationFactory

    loans = []
    for _ in range(count):
        loan = LoanApplicationFactory(instalments=True)
        lifecycle.approve(loan, None)
        loans.append(lifecycle.disburse(loan, None, on=DISBURSED))
    mark_overdue(PAID)
    return loans


def pay(loan) -> tuple[float, int]:
    period = loan.periods.get(number=1)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        repayments.repay(loan.user, str(period.pk), "current", today=PAID)
        elapsed = time.perf_counter() - started
    return elapsed * 1000, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loans", type=int, default=300)
    args = parser.parse_args()
    quiet = lambda *a, **k: None  # noqa: E731
    lifecycle.notify_loan_event = repayments.notify_loan_event = quiet
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        loans = make_loans(args.loans)
        post = repayments._post_to_books
        figures = {"with the books": [], "without": []}
        for index, loan in enumerate(loans):
            books = index % 2 == 0
            repayments._post_to_books = post if books else (lambda *a: None)
            figures["with the books" if books else "without"].append(pay(loan))
        repayments._post_to_books = post
        print(f"{connection.vendor}, {args.loans} repayments (`current` of a late, recognised period)")
        for label, rows in figures.items():
            times = sorted(ms for ms, _ in rows)
            statements = statistics.median(n for _, n in rows)
            print(f"  {label:15} median {statistics.median(times):6.2f} ms   p90 {times[int(len(times) * 0.9)]:6.2f} ms   {statements:.0f} SQL statements")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()

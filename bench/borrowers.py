"""Borrowers for the benchmark's ``gotoRepayment`` row and the soak: each repays once.

    python manage.py shell -c "import bench.borrowers; bench.borrowers.load(3000, '/tmp/repayments.txt')"

A period can be repaid only once, so every repayment needs a loan of its own. Each borrower is
a first-time applicant (``bench.applicants``) whose 500.00 for 14 days (the demo's "新现金贷",
one payment) was applied for, approved and disbursed 7 days ago through the services, the
disbursement posted to the books; its session id and its one period's id are written to
``path``, one "<session>\\t<period id>" a line. Repaying it (``current``) posts the repayment
and its ledger entry, as a customer's early repayment would.
"""

from datetime import timedelta

from decimal import Decimal
from unittest import mock

from django.db import connection

from accounts.demo import STAFF_USERNAME
from accounts.models import User
from bench.applicants import load as load_applicants
from loans import lifecycle
from loans.models import ApplicationStatus, LoanApplication, RepaymentPeriod
from products.models import Product


def load(count: int, path: str, *, first_number: int = 20_000) -> None:
    sessions_path = f"{path}.sessions"
    load_applicants(count, sessions_path, first_number=first_number)
    sessions = open(sessions_path, encoding="utf-8").read().split()
    officer = User.objects.get(username=STAFF_USERNAME)
    product = Product.objects.get(name="新现金贷", on_sale=True)
    disbursed_on = lifecycle.local_today() - timedelta(days=7)
    users = User.objects.filter(mobile__in=[f"151{n:08d}" for n in range(first_number, first_number + count)]).order_by("mobile")
    lines = []
    if connection.vendor == "postgresql":  # this loading session only: no wait for the disk at each commit
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    with mock.patch.object(lifecycle, "notify_loan_event"):
        for user, session in zip(users, sessions):
            application = LoanApplication.objects.create(
                code=f"BENCH{user.mobile}", user=user, product=product, status=ApplicationStatus.APPROVED,
                apply_amount=Decimal("500.00"), service_fee=Decimal("0.00"), reply_amount=Decimal("500.00"),
                interest_rate=Decimal("0.3600"), penalty_rate=product.penalty_rate, period_fee=Decimal("0.00"),
                term_count=14, term_unit=1, repay_term_count=14, repay_term_unit=1, repay_type=1, purpose="21", other_channels="01",
            )
            lifecycle.disburse(application, officer, on=disbursed_on)
            period = RepaymentPeriod.objects.get(application=application)
            lines.append(f"{session}\t{period.pk}")
    with open(path, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")

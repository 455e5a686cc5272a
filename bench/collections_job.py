"""The daily overdue job over many overdue loans (issue 16): time and memory as the collection
cases open, in one database on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cashloan_recovery .venv/bin/python bench/collections_job.py [--loans 100000]

Empties and migrates ``DATABASE_URL``'s database (it must be a scratch one: PostgreSQL, the
production kind), makes ``--loans`` disbursed one-period loans, each already overdue by 1 to
120 days (every bucket), and 10 collectors; then runs the daily job (``mark_overdue``: the
books' recognition and penalty, the case opened and assigned, its daily snapshot) for the day,
in a fresh process, printing every 5 % of the loans (10 %, 50 %, 100 % among them) the time
so far and the process's peak and current resident memory: a flat peak shows that memory does not grow with
the loans. Then the same day again (nothing changes) and the next day (every case updated),
and ``manage.py collections --json`` over every open case.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cashloan.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

AS_OF = date(2026, 6, 1)
BATCH = 5000
COLLECTORS = 10


def current_rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    """This process's own high-water mark (VmHWM): ``ru_maxrss`` would carry the parent's peak
    across fork and exec (the parent that made 100,000 loans)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def populate(count: int) -> None:
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from loans.models import LoanApplication, RepaymentPeriod
    from products.models import Product

    call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    collectors = Group.objects.get(name="催收专员")
    for n in range(COLLECTORS):
        user = User.objects.create(username=f"collector{n}", is_staff=True, password="!")
        user.groups.add(collectors)
    product = Product.objects.create(name="现金贷", code="BENCH", single_default_amount=500, default_interest_rate=Decimal("0.36"))
    disbursed_at = timezone.now() - timedelta(days=200)
    for start in range(0, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        users = User.objects.bulk_create(User(username=f"1{n:010d}", mobile=f"1{n:010d}", real_name="王豆豆", password="!") for n in numbers)
        loans = LoanApplication.objects.bulk_create(
            LoanApplication(
                code=f"LB{n:010d}", user=user, product=product, status=4, apply_amount=Decimal("500.00"),
                reply_amount=Decimal("500.00"), interest_rate=Decimal("0.3600"), penalty_rate=Decimal("0.5400"),
                term_count=14, term_unit=1, repay_term_count=14, repay_term_unit=1, repay_type=1, disbursed_at=disbursed_at,
            )
            for n, user in zip(numbers, users, strict=True)
        )
        RepaymentPeriod.objects.bulk_create(
            RepaymentPeriod(
                application=loan, number=1, due_date=AS_OF - timedelta(days=1 + n % 120),
                start_date=AS_OF - timedelta(days=15 + n % 120), principal=Decimal("500.00"), interest=Decimal("7.00"),
            )
            for n, loan in zip(numbers, loans, strict=True)
        )


def analyze() -> None:
    """Table statistics, as autovacuum keeps them in production (fresh bulk loads have none)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def autovacuum_is_off() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        return cursor.fetchone()[0] == "off"


# Without autovacuum the tables the job fills (cases, assignments, snapshots, journal entries)
# keep the statistics of the empty tables they were, and the job's session keeps the plans it
# made for them: the deferred foreign-key checks at each commit then scan the whole table, and
# the time per loan grows with the cases opened (1 ms -> 13 ms a commit over 16,000 loans).
# Autovacuum analyses a table after 50 rows and then every 10 % of it, which ends that; on a
# machine where it is off the benchmark analyses as it would.
ANALYZE_AFTER = (100, 1000)


def run_job(day: date, count: int) -> None:
    """The daily job in this process, with checkpoints (no query log: DEBUG off once set up)."""
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from loans import overdue

    step = max(1, count // 20)  # every 5 %: 10 % and 50 % among them
    checkpoints = set(range(step, count + 1, step)) | {count}
    stand_in_for_autovacuum = autovacuum_is_off()
    if stand_in_for_autovacuum:
        print("    (autovacuum is off here: ANALYZE after 100 and 1,000 loans and at every 5 %, as it would)", flush=True)
    done = 0
    real = overdue.mark_loan_overdue
    started = time.perf_counter()

    def counted(loan_id, as_of):
        nonlocal done
        result = real(loan_id, as_of)
        done += 1
        if stand_in_for_autovacuum and (done in ANALYZE_AFTER or done in checkpoints):
            analyze()
        if done in checkpoints:
            elapsed = time.perf_counter() - started
            print(
                f"    {done:>7} loans  {elapsed:7.1f} s  ({elapsed / done * 1000:5.2f} ms a loan)   "
                f"peak resident {peak_rss_mib():6.1f} MiB, now {current_rss_mib():6.1f} MiB",
                flush=True,
            )
        return result

    overdue.mark_loan_overdue = counted
    overdue.mark_overdue(day)
    if done not in checkpoints:
        print(f"    {done:>7} loans  {time.perf_counter() - started:7.1f} s", flush=True)


def report_counts() -> str:
    from recovery.models import Assignment, CaseDay, CollectionCase

    return f"{CollectionCase.objects.filter(status='open').count()} open cases, {CaseDay.objects.count()} snapshots, {Assignment.objects.count()} assignments"


def command_memory(day: date) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command("collections", "--json", "--date", day.isoformat(), stdout=sink)
    print(f"    collections --json: {time.perf_counter() - started:6.1f} s, peak resident {peak_rss_mib():6.1f} MiB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse the loans a previous run made (no job run on them yet)")
    parser.add_argument("--run", metavar="DAY", help=argparse.SUPPRESS)
    parser.add_argument("--command", metavar="DAY", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_job(date.fromisoformat(args.run), args.loans)
        return
    if args.command:
        command_memory(date.fromisoformat(args.command))
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a scratch PostgreSQL database (it is emptied)")
    import django

    django.setup()
    started = time.perf_counter()
    if not args.keep:
        populate(args.loans)
    analyze()
    print(f"{args.loans} overdue loans ready in {time.perf_counter() - started:.0f} s; the daily job:", flush=True)
    for label, day in (("day 1 (cases opened)", AS_OF), ("day 1 again (nothing changes)", AS_OF), ("day 2 (cases updated)", AS_OF + timedelta(days=1))):
        print(f"  {label}", flush=True)
        subprocess.run([sys.executable, __file__, "--loans", str(args.loans), "--run", day.isoformat()], check=True, env=os.environ.copy())
        print(f"    {report_counts()}", flush=True)
    subprocess.run([sys.executable, __file__, "--command", (AS_OF + timedelta(days=1)).isoformat()], check=True, env=os.environ.copy())


if __name__ == "__main__":
    main()

"""The data migration posts the loans written before the books (issue 12: "an upgraded database
reconciles"), run from the state before the ledger on loans in every state."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from ledger.accounts import EntryKind
from ledger.models import JournalEntry
from ledger.selectors import kept_balances_differing_from_lines, loan_balances, unbalanced_entry_count
from loans.amortization import LoanTerms, build_schedule, overdue_penalty, pro_rata_interest
from loans.overdue import mark_overdue
from loans.reconciliation import reconcile

def latest_migrations() -> list[tuple[str, str]]:
    return MigrationLoader(connection).graph.leaf_nodes()


BEFORE = [("loans", "0003_risk_decision_and_actor"), ("ledger", None)]
AFTER = ("loans", "0005_post_existing_loans")
TODAY = timezone.localdate()
D = Decimal


class OldWorld:
    """Rows written with the models as they were before the books."""

    def __init__(self, apps):
        self.User = apps.get_model("accounts", "User")
        self.Product = apps.get_model("products", "Product")
        self.Loan = apps.get_model("loans", "LoanApplication")
        self.Period = apps.get_model("loans", "RepaymentPeriod")
        self.Repayment = apps.get_model("loans", "Repayment")
        self.product = self.Product.objects.create(
            name="分期贷", code="P1", penalty_rate=D("0.54"), single_default_amount=D("3000"), default_interest_rate=D("0.12")
        )
        self.count = 0

    def loan(self, status: int, disbursed_on: date | None = None, *, months: int = 0):
        """Months > 0: 3000 at 12 % flat in monthly instalments, 30.00 fee; else 500 for 14 days at 36 %."""
        amount, fee = ("3000.00", "30.00") if months else ("500.00", "0")
        self.count += 1
        user = self.User.objects.create(username=f"1390000{self.count:04d}", mobile=f"1390000{self.count:04d}")
        terms = dict(
            apply_amount=D(amount), service_fee=D(fee), reply_amount=D(amount) - D(fee), interest_rate=D("0.12") if months else D("0.36"),
            penalty_rate=D("0.54"), period_fee=D("5.00") if months else D("0"), term_count=months or 14, term_unit=2 if months else 1,
            repay_term_count=1 if months else 14, repay_term_unit=2 if months else 1, repay_type=4 if months else 1,
        )
        loan = self.Loan.objects.create(code=f"OLD{self.count:04d}", user=user, product=self.product, status=status, **terms)
        if disbursed_on is None:
            return loan, []
        loan.disbursed_at = timezone.make_aware(timezone.datetime.combine(disbursed_on, timezone.datetime.min.time().replace(hour=10)))
        loan.save()
        schedule = build_schedule(LoanTerms(
            amount=loan.apply_amount, annual_rate=loan.interest_rate, term_count=loan.term_count, term_unit=loan.term_unit,
            repay_type=loan.repay_type, interval_count=loan.repay_term_count, interval_unit=loan.repay_term_unit, period_fee=loan.period_fee,
        ), disbursed_on)
        periods = [
            self.Period.objects.create(application=loan, number=p.number, start_date=p.start_date, due_date=p.due_date,
                                       principal=p.principal, interest=p.interest, fee=p.fee)
            for p in schedule
        ]
        return loan, periods

    def pay(self, loan, paid: list, on: date, kind="current", settlement=1):
        """``paid``: (period, principal, interest, fee, penalty) as collected."""
        totals = [sum(row[i] for row in paid) for i in range(1, 5)]
        repayment = self.Repayment.objects.create(
            application=loan, kind=kind, amount=sum(totals), principal=totals[0], interest=totals[1], fee=totals[2],
            penalty=totals[3], provider="old",
        )
        self.Repayment.objects.filter(pk=repayment.pk).update(posted_at=timezone.make_aware(timezone.datetime.combine(on, timezone.datetime.min.time().replace(hour=12))))
        for period, principal, interest, fee, penalty in paid:
            self.Period.objects.filter(pk=period.pk).update(
                settlement=settlement if period.due_date > on else 1, paid_principal=principal, paid_interest=interest, paid_fee=fee,
                paid_penalty=penalty, penalty=penalty, repayment=repayment, paid_at=timezone.now(), is_overdue=period.due_date < on,
            )


def full(period, penalty=D("0")):
    return (period, period.principal, period.interest, period.fee, penalty)


@pytest.mark.django_db(transaction=True)
def test_loans_in_every_state_are_posted_and_reconcile(migrator):
    world = OldWorld(migrator.apply_initial_migration(BEFORE).apps)
    for status in (0, 1, 2, 3):
        world.loan(status)
    not_due, _ = world.loan(4, TODAY - timedelta(days=3))
    due_today, _ = world.loan(4, TODAY - timedelta(days=14))
    overdue, (late_period,) = world.loan(4, TODAY - timedelta(days=40))  # 26 days late
    world.Period.objects.filter(pk=late_period.pk).update(is_overdue=True, penalty=D("1.00"))  # an old job's snapshot
    partly, (first, second, third) = world.loan(4, TODAY - timedelta(days=75), months=3)
    world.pay(partly, [full(first)], first.due_date)  # on its due date
    early, (early_first, *_) = world.loan(4, TODAY - timedelta(days=20), months=3)
    world.pay(early, [full(early_first)], TODAY - timedelta(days=10))  # before its due date
    paid_off_early, periods = world.loan(5, TODAY - timedelta(days=45), months=3)
    pay_day = TODAY - timedelta(days=5)
    pro_rata = pro_rata_interest(periods[1].interest, periods[1].start_date, periods[1].due_date, pay_day)
    world.pay(paid_off_early, [full(periods[0]), (periods[1], periods[1].principal, pro_rata, periods[1].fee, D(0)),
                               (periods[2], periods[2].principal, D(0), D(0), D(0))], pay_day, kind="all", settlement=2)
    paid_late, (only,) = world.loan(5, TODAY - timedelta(days=30))
    late_penalty = overdue_penalty(only.principal, D("0.54"), only.due_date, TODAY - timedelta(days=2))
    world.pay(paid_late, [full(only, late_penalty)], TODAY - timedelta(days=2))

    migrator.apply_tested_migration(AFTER)
    migrator.apply_tested_migration(latest_migrations())  # today's code below reads today's schema

    assert unbalanced_entry_count() == 0
    for day in (TODAY - timedelta(days=80), TODAY - timedelta(days=1), TODAY):
        assert kept_balances_differing_from_lines(day) == []
    assert [str(d) for d in reconcile(TODAY, record=False).differences] == []
    assert [str(d) for d in reconcile(TODAY - timedelta(days=1), record=False).differences] == []
    assert not JournalEntry.objects.filter(loan__status__in=(0, 1, 2, 3)).exists()
    # 500 × 0.54 × 26 / 360 = 19.50 now receivable; the old snapshot replaced by the job's figure
    assert loan_balances(overdue.pk, TODAY)["1134"] == 1950
    assert overdue.periods.get().penalty == D("19.50")
    assert loan_balances(not_due.pk, TODAY)["1132"] == 0
    assert loan_balances(due_today.pk, TODAY)["1132"] == 700
    penalty_cents = int(late_penalty * 100)  # 500 × 0.54 × 14 / 360 = 10.50
    assert penalty_cents == 1050
    assert {a: v for a, v in loan_balances(paid_late.pk, TODAY).items() if v} == {"1002": 700 + 1050, "6011": -700, "6031": -1050}
    kinds = sorted(JournalEntry.objects.filter(loan__code=partly.code).values_list("kind", flat=True))
    assert kinds == sorted([EntryKind.DISBURSEMENT, EntryKind.RECOGNITION, EntryKind.RECOGNITION, EntryKind.REPAYMENT, EntryKind.PENALTY, EntryKind.PENALTY])
    # the daily job carries on from there and posts nothing twice
    count = JournalEntry.objects.count()
    mark_overdue(TODAY)
    assert JournalEntry.objects.count() == count

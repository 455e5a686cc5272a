"""Reads of a borrower's loans (seed §26–29). A user only ever sees their own loans.

Each list is a fixed number of queries whatever the page size (one count, one slice with its
joins). Penalties of unpaid overdue periods are computed as of today, on the fly, so the app
shows the right figure even before the nightly job has run.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone

from cashloan.models import ZERO
from cashloan.prepared import PreparedQuery

from .amortization import penalty_left
from .credit import credit_left, is_frozen, loan_totals
from .models import SERVICED_STATUSES, ApplicationStatus, LoanApplication, RepaymentPeriod

Settlement = RepaymentPeriod.Settlement


class RepayCondition:
    """§26 ``condition`` (CONTRACT §8)."""

    ALL = "0"
    PAID = "1"
    UNPAID = "2"
    OVERDUE = "3"
    PAID_EARLY = "4"
    VALUES = (ALL, PAID, UNPAID, OVERDUE, PAID_EARLY)


# --------------------------------------------------------------------------
# §26 repayment periods
# --------------------------------------------------------------------------


# What a §26 row shows: the loan's phone book and the product's texts stay in the database.
REPAY_ROW_FIELDS = (
    "number", "due_date", "settlement", "principal", "interest", "fee",
    "paid_principal", "paid_interest", "paid_fee", "paid_penalty", "waived_interest", "waived_fee", "waived_penalty",
    "application__code", "application__apply_amount", "application__penalty_rate", "application__product__name",
    "application__written_off_on",
)


def repay_periods(user, condition: str, today: date) -> QuerySet[RepaymentPeriod]:
    """The caller's schedule periods of disbursed or paid-off loans, by due date then loan.

    ``user`` is the user or its id. ``condition`` is one of :class:`RepayCondition` (``""``
    means all): 1 every paid period (on schedule or early), 2 unpaid, 3 unpaid and past its
    due date, 4 settled early by a pay-off.
    """
    periods = RepaymentPeriod.objects.filter(application__user=user, application__status__in=SERVICED_STATUSES)
    periods = periods.filter(_condition_filter(condition or RepayCondition.ALL, today))
    periods = periods.select_related("application__product").only(*REPAY_ROW_FIELDS)
    return periods.order_by("due_date", "application__applied_at", "application_id", "number")


@dataclass(frozen=True)
class RepayRow:
    """A §26 row: a period, its loan's few fields, and what it asks for."""

    id: uuid.UUID
    number: int
    due_date: date
    is_paid: bool
    application_id: uuid.UUID
    code: str
    apply_amount: Decimal
    product_name: str
    figures: "PeriodFigures"


_REPAY_ROW_VALUES = (
    "id", "number", "due_date", "settlement", "principal", "interest", "fee",
    "paid_principal", "paid_interest", "paid_fee", "paid_penalty", "waived_interest", "waived_fee", "waived_penalty",
    "application_id", "application__code", "application__apply_amount", "application__penalty_rate",
    "application__product__name", "application__written_off_on", "total",
)
_USER_ID = (int, LoanApplication._meta.get_field("user"))
_TODAY = (date, RepaymentPeriod._meta.get_field("due_date"))


def _repay_rows_query(condition: str) -> PreparedQuery:
    """One query a page: the rows, each carrying the count of all rows (a window: no count query)."""
    return PreparedQuery(
        lambda user_id, today: repay_periods(user_id, condition, today).annotate(total=Window(Count("id"))).values_list(*_REPAY_ROW_VALUES),
        user_id=_USER_ID, today=_TODAY,
    )


_REPAY_ROWS = {condition: _repay_rows_query(condition) for condition in RepayCondition.VALUES}


def repay_page(user_id: int, condition: str, today: date, offset: int, limit: int) -> tuple[list[RepayRow], int]:
    """A page of :func:`repay_periods` as rows, and how many there are in all."""
    rows = _REPAY_ROWS[condition or RepayCondition.ALL].rows(user_id=user_id, today=today, limit=limit, offset=offset)
    if rows:
        total = rows[0][-1]
    else:  # past the end (or nothing at all): the window has no row to tell the total
        total = 0 if offset == 0 else repay_periods(user_id, condition, today).count()
    return [_repay_row(row, today) for row in rows], total


def _repay_row(row: tuple, today: date) -> RepayRow:
    (period_id, number, due_date, settlement, principal, interest, fee, paid_principal, paid_interest, paid_fee, paid_penalty,
     waived_interest, waived_fee, waived_penalty, loan_id, code, apply_amount, penalty_rate, product_name, written_off_on, _) = row
    is_paid = settlement != Settlement.UNPAID
    if is_paid:
        figures = PeriodFigures(paid_principal, paid_interest, paid_fee, paid_penalty)
    else:  # as period_figures does for a model instance
        penalty_as_of = min(today, written_off_on) if written_off_on else today
        figures = unpaid_figures(
            principal, interest - waived_interest, fee - waived_fee, penalty_rate, due_date, penalty_as_of, waived_penalty,
        )
    return RepayRow(period_id, number, due_date, is_paid, loan_id, code, apply_amount, product_name, figures)


def _condition_filter(condition: str, today: date) -> Q:
    unpaid = Q(settlement=Settlement.UNPAID)
    return {
        RepayCondition.ALL: Q(),
        RepayCondition.PAID: ~unpaid,
        RepayCondition.UNPAID: unpaid,
        RepayCondition.OVERDUE: unpaid & Q(due_date__lt=today),
        RepayCondition.PAID_EARLY: Q(settlement=Settlement.EARLY),
    }[condition]


@dataclass(frozen=True)
class PeriodFigures:
    """What a period asks for (unpaid: as of today) or asked for (paid: what was collected)."""

    principal: Decimal
    interest: Decimal
    fee: Decimal
    penalty: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fee + self.penalty


def period_figures(period: RepaymentPeriod, today: date) -> PeriodFigures:
    if period.is_paid:
        return PeriodFigures(period.paid_principal, period.paid_interest, period.paid_fee, period.paid_penalty)
    loan = period.application
    return unpaid_figures(
        period.principal, period.interest_due, period.fee_due, loan.penalty_rate, period.due_date, loan.penalty_date(today),
        period.waived_penalty,
    )


def unpaid_figures(principal, interest, fee, penalty_rate, due_date: date, penalty_as_of: date, waived_penalty=ZERO) -> PeriodFigures:
    """A period not paid yet (interest and fee less waivers); its penalty runs to
    ``penalty_as_of`` (today, or a write-off date), less the penalty waived."""
    return PeriodFigures(principal, interest, fee, penalty_left(principal, penalty_rate, due_date, penalty_as_of, waived_penalty))


# --------------------------------------------------------------------------
# §27 user centre
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class UserCenter:
    real_name: str
    mobile: str
    available_credit: Decimal | None
    total_credit: Decimal | None
    total_apply_amount: Decimal
    total_need_pay_amount: Decimal


def user_center(user, today: date) -> UserCenter:
    """Two queries at most: the customer's loans, and the unpaid periods of the disbursed ones."""
    totals = loan_totals(user)
    unpaid, earliest_due = unpaid_period_figures(user.pk, totals.disbursed_penalty_rates, today)
    outstanding = totals.not_disbursed + sum((figures.principal for figures in unpaid), ZERO)
    return UserCenter(
        real_name=user.real_name,
        mobile=user.mobile or user.username,
        available_credit=credit_left(user.total_credit, outstanding, frozen=is_frozen(earliest_due, today)),
        total_credit=user.total_credit,
        total_apply_amount=totals.lent,
        total_need_pay_amount=sum((figures.total for figures in unpaid), ZERO),
    )


_UNPAID_PERIODS = PreparedQuery(
    lambda user_id: RepaymentPeriod.objects.filter(
        application__user=user_id, application__status=ApplicationStatus.DISBURSED, settlement=Settlement.UNPAID
    ).order_by().values_list(
        "application_id", "principal", "interest", "fee", "due_date", "application__written_off_on",
        "waived_interest", "waived_fee", "waived_penalty",
    ),
    user_id=_USER_ID,
)


def unpaid_period_figures(user_id: int, penalty_rates: dict, today: date) -> tuple[list[PeriodFigures], date | None]:
    """What each unpaid period of the customer's disbursed loans ``penalty_rates`` names (id →
    rate) asks for today, and the earliest due date among them (None when there is none)."""
    if not penalty_rates:
        return [], None
    rows = [row for row in _UNPAID_PERIODS.rows(user_id=user_id) if row[0] in penalty_rates]
    figures = [
        unpaid_figures(
            principal, interest - waived_interest, fee - waived_fee, penalty_rates[loan_id], due_date,
            min(today, written_off_on or today), waived_penalty,
        )
        for loan_id, principal, interest, fee, due_date, written_off_on, waived_interest, waived_fee, waived_penalty in rows
    ]
    return figures, min((row[4] for row in rows), default=None)


# --------------------------------------------------------------------------
# §28 loans, §29 one loan's schedule
# --------------------------------------------------------------------------


def loan_applications(user) -> QuerySet[LoanApplication]:
    """The caller's applications, newest first."""
    return LoanApplication.objects.filter(user=user).select_related("product").order_by("-applied_at", "-id")


def loan_schedule(user, application_id: str) -> QuerySet[RepaymentPeriod]:
    """The periods of the caller's loan ``application_id``; empty for anyone else's or an unknown id."""
    try:
        key = uuid.UUID(str(application_id))
    except ValueError:
        return RepaymentPeriod.objects.none()
    return RepaymentPeriod.objects.filter(application_id=key, application__user=user).order_by("number")


# --------------------------------------------------------------------------
# Dates as the app shows them
# --------------------------------------------------------------------------


def end_of_day(day: date) -> datetime:
    """23:59:59 local on ``day``: when a period falls due (CONTRACT §8)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def local_datetime_str(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def due_datetime_str(day: date) -> str:
    return f"{day.isoformat()} 23:59:59"


def due_epoch_ms_str(day: date) -> str:
    return str(int(end_of_day(day).timestamp()) * 1000)

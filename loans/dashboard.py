"""The back-office dashboard's figures, in a constant number of queries (four).

Definitions:
* disbursed amount: the principal of every loan ever disbursed (statuses 4 and 5);
* outstanding: unpaid principal of the periods of loans currently disbursed (status 4) and
  not written off (a written-off loan is off the books, CONTRACT §14);
* overdue loans: those loans with at least one unpaid period past its due date
  (overdue from the day after the due date, CONTRACT §8, whether or not the nightly
  job has flagged it yet); overdue rate = overdue loans / outstanding loans;
* repayments: postings of the last 30 days, today included (local dates).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from cashloan.models import ZERO

from .models import SERVICED_STATUSES, ApplicationStatus, LoanApplication, Repayment, RepaymentPeriod

CHART_DAYS = 30


@dataclass(frozen=True)
class StatusCount:
    status: int
    label: str
    count: int


@dataclass(frozen=True)
class DayRepayments:
    day: date
    count: int
    amount: Decimal


@dataclass(frozen=True)
class DashboardFigures:
    statuses: list[StatusCount]
    total_applications: int
    disbursed_count: int
    disbursed_amount: Decimal
    outstanding_loans: int
    outstanding_principal: Decimal
    overdue_loans: int
    overdue_periods: int
    overdue_rate: Decimal | None  # a fraction; None when nothing is outstanding
    repayment_days: list[DayRepayments]
    repayment_count: int
    repayment_amount: Decimal

    @property
    def overdue_rate_pct(self) -> str:
        if self.overdue_rate is None:
            return "—"
        return f"{(self.overdue_rate * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def dashboard_figures(today: date | None = None) -> DashboardFigures:
    today = today or timezone.localdate()
    statuses = _status_counts()
    disbursed = _disbursed_totals()
    book = _loan_book(today)
    days = _repayments_per_day(today)
    outstanding = book["outstanding_loans"]
    return DashboardFigures(
        statuses=statuses,
        total_applications=sum(row.count for row in statuses),
        disbursed_count=disbursed["count"],
        disbursed_amount=disbursed["amount"],
        outstanding_loans=outstanding,
        outstanding_principal=book["outstanding_principal"],
        overdue_loans=book["overdue_loans"],
        overdue_periods=book["overdue_periods"],
        overdue_rate=(Decimal(book["overdue_loans"]) / Decimal(outstanding)) if outstanding else None,
        repayment_days=days,
        repayment_count=sum(day.count for day in days),
        repayment_amount=sum((day.amount for day in days), ZERO),
    )


def _status_counts() -> list[StatusCount]:
    counts = dict(LoanApplication.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return [StatusCount(status.value, status.label, counts.get(status.value, 0)) for status in ApplicationStatus]


def _disbursed_totals() -> dict:
    ever_disbursed = LoanApplication.objects.filter(status__in=SERVICED_STATUSES)
    row = ever_disbursed.aggregate(count=Count("pk"), amount=Coalesce(Sum("apply_amount"), ZERO, output_field=_money()))
    return row


def _loan_book(today: date) -> dict:
    unpaid = Q(periods__settlement=RepaymentPeriod.Settlement.UNPAID)
    overdue = unpaid & Q(periods__due_date__lt=today)
    unpaid_principal = ExpressionWrapper(F("periods__principal") - F("periods__paid_principal"), output_field=_money())
    on_the_books = LoanApplication.objects.filter(status=ApplicationStatus.DISBURSED, written_off_on__isnull=True)
    return on_the_books.aggregate(
        outstanding_loans=Count("pk", distinct=True),
        outstanding_principal=Coalesce(Sum(unpaid_principal, filter=unpaid), ZERO, output_field=_money()),
        overdue_loans=Count("pk", distinct=True, filter=overdue),
        overdue_periods=Count("periods", filter=overdue),
    )


def _repayments_per_day(today: date) -> list[DayRepayments]:
    first_day = today - timedelta(days=CHART_DAYS - 1)
    tz = ZoneInfo(settings.TIME_ZONE)
    rows = (
        Repayment.objects.annotate(day=TruncDate("posted_at", tzinfo=tz))
        .filter(day__gte=first_day, day__lte=today)
        .order_by()
        .values("day")
        .annotate(count=Count("pk"), amount=Sum("amount"))
    )
    by_day = {row["day"]: row for row in rows}
    days = []
    for offset in range(CHART_DAYS):
        day = first_day + timedelta(days=offset)
        row = by_day.get(day)
        days.append(DayRepayments(day, row["count"] if row else 0, Decimal(row["amount"]) if row else ZERO))
    return days


def _money() -> DecimalField:
    return DecimalField(max_digits=16, decimal_places=2)


# --- The chart: inline SVG, no external asset ---------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 600, 180
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT = 18, 150, 8


def repayment_chart_svg(days: list[DayRepayments]) -> SafeString:
    """Bars of the daily repaid amount (a tooltip gives count and amount), every 5th day labelled."""
    peak = max((day.amount for day in days), default=ZERO) or Decimal(1)
    slot = (CHART_WIDTH - 2 * PLOT_LEFT) / max(len(days), 1)
    bars = format_html_join("", "{}", ((_bar(index, day, slot, peak),) for index, day in enumerate(days)))
    labelled = [(index, day) for index, day in enumerate(days) if index % 5 == 0 or index == len(days) - 1]
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle">{}</text>',
        ((_num(PLOT_LEFT + slot * index + slot / 2), CHART_HEIGHT - 12, f"{d.day.month}/{d.day.day}") for index, d in labelled),
    )
    return format_html(
        '<svg class="repayment-chart" viewBox="0 0 {} {}" role="img" aria-label="近{}天每日还款金额" '
        'style="width:100%;height:auto;font:14px sans-serif;fill:#666">'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ccc"></line>{}{}</svg>',
        CHART_WIDTH, CHART_HEIGHT, len(days),
        PLOT_LEFT, PLOT_BOTTOM, CHART_WIDTH - PLOT_LEFT, PLOT_BOTTOM, bars, labels,
    )


def _bar(index: int, day: DayRepayments, slot: float, peak: Decimal) -> SafeString:
    height = float(day.amount / peak) * (PLOT_BOTTOM - PLOT_TOP)
    if day.amount > 0:
        height = max(height, 1.5)
    x = PLOT_LEFT + slot * index + slot * 0.15
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#417690">'
        "<title>{}：{} 笔，{} 元</title></rect>",
        _num(x), _num(PLOT_BOTTOM - height), _num(slot * 0.7), _num(height),
        day.day.isoformat(), day.count, f"{day.amount:.2f}",
    )


def _num(value: float) -> str:
    return f"{value:.1f}"

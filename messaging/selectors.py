"""Reads of messaging: message lists, H5 page texts, the loan contract."""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from .h5_texts import DEFAULT_PAGES
from .masking import mask_mobile
from .models import CustomerMessage, H5Page, SystemMessage

DEFAULT_LENDER_NAME = "示例小额贷款有限公司"


# --- Messages (§24, §25) ----------------------------------------------------------------------


def customer_messages(user) -> QuerySet[CustomerMessage]:
    """The user's own messages, newest first."""
    return CustomerMessage.objects.filter(user=user).order_by("-sent_at", "-id")


def published_system_messages(now: datetime | None = None) -> QuerySet[SystemMessage]:
    """System messages whose publish time has come, newest first."""
    return SystemMessage.objects.filter(publish_at__lte=now or timezone.now()).order_by("-publish_at", "-id")


def datetime_text(moment: datetime) -> str:
    """``2017-11-07 01:19:08`` in local time, as the seed writes ``sendDate``."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def customer_message_row(message: CustomerMessage) -> dict:
    return {
        "id": str(message.id),
        "messageContent": message.content,
        "messageTitle": message.title,
        "messageType": str(message.message_type),
        "sendDate": datetime_text(message.sent_at),
    }


def system_message_row(message: SystemMessage) -> dict:
    return {
        "eventUrl": message.event_url,
        "id": str(message.id),
        "messageContent": message.content,
        "messageTitle": message.title,
        "messageType": str(message.message_type),
        "sendDate": datetime_text(message.publish_at),
    }


# --- H5 pages (§5, §6) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[list[str]]  # each paragraph is its lines


@dataclass(frozen=True)
class PageText:
    title: str
    body: str

    @property
    def sections(self) -> list[Section]:
        return split_sections(self.body)


_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十\d]+条).{0,30}$|^.{1,30}[？?]$")


def split_sections(body: str) -> list[Section]:
    """Plain text → sections: a blank line ends a paragraph; a short first line such as
    "一、账户注册" or a question ending in "？" heads a new section."""
    sections: list[Section] = [Section("", [])]
    for block in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines and _HEADING.match(lines[0]):
            sections.append(Section(lines[0], []))
            lines = lines[1:]
        if lines:
            sections[-1].paragraphs.append(lines)
    return [section for section in sections if section.heading or section.paragraphs]


def h5_page_text(slug: str) -> PageText:
    """The text staff saved in the admin, or the shipped default when there is none."""
    page = H5Page.objects.filter(slug=slug).only("title", "body").first()
    if page is not None:
        return PageText(page.title, page.body)
    title, body = DEFAULT_PAGES[slug]
    return PageText(title, body)


# --- The loan contract (linked from §26/§28) --------------------------------------------------


@dataclass(frozen=True)
class ScheduleRow:
    number: int
    start_date: object
    due_date: object
    principal: Decimal
    interest: Decimal
    fee: Decimal
    total: Decimal


def loan_for_viewer(user, loan_id):
    """The loan if ``user`` is its borrower or staff; Http404 otherwise (existence unconfirmed)."""
    from loans.models import LoanApplication

    if not user.is_authenticated or not user.is_active:
        raise Http404
    loans = LoanApplication.objects.select_related("user", "product")
    if not user.is_staff:
        loans = loans.filter(user=user)
    loan = loans.filter(pk=loan_id).first()
    if loan is None:
        raise Http404
    return loan


def loan_contract(loan) -> dict:
    """Everything the contract page shows, computed once."""
    schedule, is_preview = contract_schedule(loan)
    cost_rate = _annualized_cost_rate(loan, schedule)
    return {
        "loan": loan,
        "lender_name": getattr(settings, "LENDER_NAME", DEFAULT_LENDER_NAME),
        "borrower_name": loan.user.real_name or "—",
        "borrower_mobile": mask_mobile(loan.user.mobile or ""),
        "repay_type": loan.get_repay_type_display(),
        "term": f"{loan.term_count}{loan.get_term_unit_display()}",
        # one payment at maturity (type 1) has no interval to speak of
        "interval": "" if loan.repay_type == 1 else f"每{loan.repay_term_count}{loan.get_repay_term_unit_display()}",
        "interest_rate_pct": percent_text(loan.interest_rate),
        "penalty_rate_pct": percent_text(loan.penalty_rate),
        "annualized_cost_rate_pct": percent_text(cost_rate),
        "schedule": schedule,
        "is_preview": is_preview,
        "totals": _totals(schedule),
    }


def contract_schedule(loan) -> tuple[list[ScheduleRow], bool]:
    """The stored schedule of a disbursed loan, or a preview from its terms (dated today)."""
    stored = list(loan.periods.order_by("number"))
    if stored:
        return [
            ScheduleRow(p.number, p.start_date, p.due_date, p.principal, p.interest, p.fee, p.principal + p.interest + p.fee)
            for p in stored
        ], False
    return _preview_schedule(loan), True


def _preview_schedule(loan) -> list[ScheduleRow]:
    from loans.amortization import ScheduleRuleError, build_schedule

    try:
        periods = build_schedule(loan.amortization_terms(), timezone.localdate())
    except (ScheduleRuleError, ValueError):
        return []
    return [ScheduleRow(p.number, p.start_date, p.due_date, p.principal, p.interest, p.fee, p.total) for p in periods]


def _annualized_cost_rate(loan, schedule: list[ScheduleRow]) -> Decimal | None:
    if loan.annualized_cost_rate is not None:
        return loan.annualized_cost_rate
    if not schedule or not loan.reply_amount or loan.reply_amount <= 0:
        return None
    from loans.amortization import annualized_cost_rate

    start = schedule[0].start_date
    try:
        return annualized_cost_rate(loan.reply_amount, start, schedule)
    except (ValueError, ArithmeticError):
        return None


def _totals(schedule: list[ScheduleRow]) -> dict:
    zero = Decimal("0.00")
    return {
        "principal": sum((row.principal for row in schedule), zero),
        "interest": sum((row.interest for row in schedule), zero),
        "fee": sum((row.fee for row in schedule), zero),
        "total": sum((row.total for row in schedule), zero),
    }


def percent_text(rate: Decimal | None) -> str:
    """``Decimal("0.3600")`` → ``"36.00"`` (empty for an unknown rate)."""
    if rate is None:
        return ""
    return f"{(Decimal(rate) * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"

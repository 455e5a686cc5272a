"""What the loan officer reads (issue 14): the review queue's order and figures, and the review
sheet of one application -- each a fixed number of queries, whatever the number of rows, of
earlier loans or of phone-book entries.

The decisions themselves (claim, release, approve, reject, disburse) are services in
:mod:`loans.lifecycle`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Case, DateTimeField, ExpressionWrapper, F, IntegerField, Value, When
from django.utils import timezone

from accounts.crypto import mask_number
from accounts.descriptions import personal_rows
from accounts.models import Contact, Device
from accounts.validators import age_on, id_birth_date
from cashloan.models import ZERO
from messaging.masking import mask_mobile

from .amortization import ScheduleRuleError, build_schedule, overdue_days
from .credit import NOT_DISBURSED_STATUSES, credit_left, is_frozen
from .models import ApplicationStatus, Disbursement, LoanApplication, Repayment, RepaymentPeriod, StatusChange

Status = ApplicationStatus
WAITING = (Status.PENDING, Status.IN_REVIEW)
SHARED_DEVICE_SHOWN = 20  # other customers of the device listed by name (all are counted)


# --- the queue ------------------------------------------------------------------------------------


# Waiting applications first (pending and in review, then approved ones waiting for their
# payout), each group oldest first; then every other loan, newest first. Expressions rather than
# annotations, so the admin takes them as its ``ordering`` and marks no column as sorted.
QUEUE_RANK = Case(
    When(status__in=WAITING, then=Value(0)), When(status=Status.APPROVED, then=Value(1)), default=Value(2),
    output_field=IntegerField(),
)
WAITING_SINCE = Case(When(status__in=(*WAITING, Status.APPROVED), then=F("applied_at")), default=None, output_field=DateTimeField())
MADE_AT = ExpressionWrapper(F("applied_at"), output_field=DateTimeField())
QUEUE_ORDER = (QUEUE_RANK.asc(), WAITING_SINCE.asc(nulls_last=True), MADE_AT.desc())


def waiting_time(loan: LoanApplication, now: datetime) -> timedelta | None:
    """How long an undecided application has waited since it was made (None once decided)."""
    if loan.status not in WAITING:
        return None
    return now - loan.applied_at


def duration_text(elapsed: timedelta | None) -> str:
    """``2 天 3 小时``, ``5 小时 12 分``, ``8 分钟``."""
    if elapsed is None:
        return "—"
    minutes = max(int(elapsed.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} 天 {hours} 小时"
    if hours:
        return f"{hours} 小时 {minutes} 分"
    return f"{minutes} 分钟"


UNIT_WORDS = {1: "天", 2: "个月", 3: "个季度"}  # term units (天, 月) and repayment intervals (天, 月, 季)


def term_text(loan: LoanApplication) -> str:
    """``14 天``, ``3 个月``."""
    return f"{loan.term_count} {UNIT_WORDS.get(loan.term_unit, loan.get_term_unit_display())}"


def repayment_text(loan: LoanApplication) -> str:
    """``每 1 个月还款，等额本息``."""
    interval = f"{loan.repay_term_count} {UNIT_WORDS.get(loan.repay_term_unit, loan.get_repay_term_unit_display())}"
    return f"每 {interval}还款，{loan.get_repay_type_display()}"


# --- the review sheet -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EarlierLoan:
    loan: LoanApplication
    worst_days_late: int  # the most days any period was (or is) paid after its due date
    rejection: str  # the reason of a rejected one (the rules' or the officer's)


@dataclass(frozen=True)
class PhonebookSummary:
    entries: int
    customers: int  # entries whose number is another customer's mobile
    overdue_customers: int  # of those, customers with an overdue period now


@dataclass(frozen=True)
class Sheet:
    loan: LoanApplication
    schedule: list  # RepaymentPeriod rows once disbursed; before, a preview as if disbursed today
    schedule_is_preview: bool
    schedule_error: str
    applicant: list[tuple[str, str]]
    verification: list[tuple[str, str]]
    personal: list[tuple[str, str]]
    credit: list[tuple[str, str]]
    earlier: list[EarlierLoan]
    contacts: list[tuple[str, str, str]]
    phonebook: PhonebookSummary
    device: list[tuple[str, str]]
    shared_device: list  # other customers who logged in with the application's device token
    shared_device_count: int
    history: list[StatusChange]
    disbursements: list[Disbursement]
    repayments: list[Repayment]


def sheet_loan(pk) -> LoanApplication | None:
    """The application with its applicant's file and the staff it names (one query)."""
    return (
        LoanApplication.objects.select_related(
            "user__identity", "user__bank_card", "user__personal_info", "product", "claimed_by", "reviewed_by", "reject_reason",
        )
        .defer("risk_facts")
        .filter(pk=pk)
        .first()
    )


def review_sheet(loan: LoanApplication, today: date) -> Sheet:
    user = loan.user
    schedule, preview, error = _schedule(loan, today)
    earlier, outstanding, earliest_due = _earlier_loans(loan, today)
    shared = list(
        Device.objects.filter(token=loan.device_token).exclude(user=user).select_related("user").order_by("user_id")
    ) if loan.device_token else []
    return Sheet(
        loan=loan,
        schedule=schedule,
        schedule_is_preview=preview,
        schedule_error=error,
        applicant=_applicant(user, today),
        verification=_verification(user),
        personal=personal_rows(_related(user, "personal_info")),
        credit=_credit(loan, outstanding, earliest_due, today),
        earlier=earlier,
        contacts=_contacts(loan),
        phonebook=phonebook_summary(loan),
        device=_device(loan),
        shared_device=[device.user for device in shared[:SHARED_DEVICE_SHOWN]],
        shared_device_count=len({device.user_id for device in shared}),
        history=list(loan.status_changes.select_related("changed_by")),
        disbursements=list(loan.disbursements.select_related("requested_by")),
        repayments=list(loan.repayments.all()) if loan.status in (Status.DISBURSED, Status.PAID_OFF) else [],
    )


def _related(user, relation: str):
    try:
        return getattr(user, relation)
    except Exception:  # the reverse one-to-one is missing: RelatedObjectDoesNotExist
        return None


def _schedule(loan: LoanApplication, today: date) -> tuple[list, bool, str]:
    if loan.status in (Status.DISBURSED, Status.PAID_OFF):
        return list(loan.periods.order_by("number")), False, ""
    try:
        return build_schedule(loan.amortization_terms(), today), True, ""
    except (ScheduleRuleError, ValueError) as error:
        return [], True, f"借款条件无法生成还款计划（{error}）"


def _applicant(user, today: date) -> list[tuple[str, str]]:
    identity, card = _related(user, "identity"), _related(user, "bank_card")
    rows = [("姓名", user.real_name or "未实名"), ("手机号", mask_mobile(user.mobile or ""))]
    if identity is not None:
        birth = id_birth_date(identity.id_number)
        rows += [("身份证号", mask_number(identity.id_number)), ("年龄", f"{age_on(birth, today)} 岁" if birth else "未知")]
    else:
        rows.append(("身份证号", "未认证"))
    rows.append(("银行卡号", mask_number(card.card_number) if card is not None else "未绑定"))
    flags = [label for on, label in ((user.is_blacklisted, "黑名单"), (user.is_risk, "风险客户")) if on]
    rows.append(("标记", "、".join(flags) or "无"))
    return rows


def _verification(user) -> list[tuple[str, str]]:
    identity, card, info = _related(user, "identity"), _related(user, "bank_card"), _related(user, "personal_info")

    def when(done: bool, moment) -> str:
        if not done:
            return "未认证"
        return f"已认证（{timezone.localtime(moment):%Y-%m-%d}）" if moment else "已认证"

    return [
        ("身份信息", when(user.real_name_verified, identity and identity.verified_at)),
        ("银行卡", when(user.bank_card_verified, card and card.verified_at)),
        ("手机号", when(user.mobile_verified, None)),
        ("个人信息", when(user.info_completed, info and info.updated_at)),
    ]


def _earlier_loans(loan: LoanApplication, today: date) -> tuple[list[EarlierLoan], Decimal, date | None]:
    """The applicant's other loans with their worst lateness and rejection reason (three queries),
    and what they still owe: outstanding principal and the earliest unpaid due date."""
    others = list(
        LoanApplication.objects.filter(user_id=loan.user_id).exclude(pk=loan.pk).select_related("product")
        .only("pk", "code", "status", "apply_amount", "applied_at", "term_count", "term_unit", "product__name", "written_off_on")
        .order_by("-applied_at")
    )
    ids = [other.pk for other in others]
    worst: dict = {}
    unpaid_principal, earliest_due = ZERO, None
    periods = RepaymentPeriod.objects.filter(application_id__in=ids).values_list(
        "application_id", "due_date", "paid_at", "principal", "paid_principal", "settlement"
    ) if ids else []
    for loan_id, due, paid_at, principal, paid_principal, settlement in periods:
        settled_on = timezone.localdate(paid_at) if paid_at else today
        worst[loan_id] = max(worst.get(loan_id, 0), overdue_days(due, settled_on))
        if settlement == RepaymentPeriod.Settlement.UNPAID:
            unpaid_principal += principal - paid_principal
            earliest_due = min(earliest_due, due) if earliest_due else due
    rejections = dict(
        StatusChange.objects.filter(application_id__in=ids, to_status=Status.REJECTED).order_by("changed_at")
        .values_list("application_id", "note")
    ) if ids else {}
    not_disbursed = sum((other.apply_amount for other in others if other.status in NOT_DISBURSED_STATUSES), ZERO)
    rows = [EarlierLoan(other, worst.get(other.pk, 0), rejections.get(other.pk, "") or "（未填写）") for other in others]
    return rows, unpaid_principal + not_disbursed, earliest_due


def _credit(loan: LoanApplication, outstanding: Decimal, earliest_due: date | None, today: date) -> list[tuple[str, str]]:
    """The limit, what the customer owes besides this application, what is left, and this amount's share."""
    limit = loan.user.total_credit
    frozen = is_frozen(earliest_due, today)
    available = credit_left(limit, outstanding, frozen=frozen)
    share = f"{(loan.apply_amount / limit * 100).quantize(Decimal('0.1'))}%" if limit else "—"
    return [
        ("总授信额度", f"{limit:,.2f}" if limit is not None else "不限额"),
        ("其他借款在贷", f"{outstanding:,.2f}"),
        ("可用额度", ("0.00（逾期超过 30 天，额度冻结）" if frozen else f"{available:,.2f}") if available is not None else "不限额"),
        ("本笔占额度", share),
    ]


def _contacts(loan: LoanApplication) -> list[tuple[str, str, str]]:
    rows = [
        (contact.get_rel_type_display(), contact.real_name, mask_mobile(contact.phone_num))
        for contact in Contact.objects.filter(user_id=loan.user_id)
    ]
    if loan.contact_name or loan.contact_phone:
        rows.append(("申请时填写", loan.contact_name, mask_mobile(loan.contact_phone)))
    return rows


MOBILE = re.compile(r"1[3-9]\d{9}")


def phonebook_mobiles(phonebook: list) -> set[str]:
    """The mainland mobiles of a phone book (``+86 138-1234-5678`` reads as ``13812345678``)."""
    found = set()
    for entry in phonebook or ():
        digits = re.sub(r"\D", "", str(entry.get("contactPhone", "")) if isinstance(entry, dict) else "")
        match = MOBILE.fullmatch(digits[-11:]) if len(digits) >= 11 else None
        if match:
            found.add(match.group())
    return found


def phonebook_customers(loan: LoanApplication) -> dict[str, bool]:
    """{mobile: has an overdue period now} of the other customers in the phone book (two queries)."""
    mobiles = phonebook_mobiles(loan.phonebook)
    if not mobiles:
        return {}
    customers = dict(
        get_user_model().objects.filter(mobile__in=mobiles, is_staff=False).exclude(pk=loan.user_id).values_list("pk", "mobile")
    )
    overdue = set(
        RepaymentPeriod.objects.filter(
            application__user_id__in=customers, application__status=Status.DISBURSED, is_overdue=True,
            settlement=RepaymentPeriod.Settlement.UNPAID,
        ).values_list("application__user_id", flat=True).distinct()
    ) if customers else set()
    return {mobile: pk in overdue for pk, mobile in customers.items()}


def phonebook_summary(loan: LoanApplication) -> PhonebookSummary:
    customers = phonebook_customers(loan)
    return PhonebookSummary(len(loan.phonebook or ()), len(customers), sum(customers.values()))


def _device(loan: LoanApplication) -> list[tuple[str, str]]:
    location = f"经度 {loan.longitude}，纬度 {loan.latitude}" if loan.longitude and loan.latitude else "未提供"
    return [
        ("设备 token", loan.device_token or "未记录（申请早于设备记录）"),
        ("申请位置", location),
        ("运营商授权订单号", loan.operator_order_id or "—"),
    ]

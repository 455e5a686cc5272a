"""What the customer pages read: the list's figures per customer (in the list's one query) and
the customer page's sections (a fixed number of queries whatever the customer's history).

Worst DPD is CONTRACT §13's days past due over the customer's loans: days since the due date
of their earliest unpaid period already past due. Outstanding is the unpaid principal of
their disbursed loans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from accounts.credit_limits import shown as credit_shown
from accounts.crypto import mask_number
from accounts.models import Contact, CreditLimitChange, Customer, Device, FlagChange
from accounts.descriptions import personal_rows
from accounts.regions import region_name
from cashloan.models import ZERO
from loans.credit import available_credit
from loans.models import ApplicationStatus, LoanApplication, Repayment, RepaymentPeriod, Waiver
from messaging.masking import mask_mobile
from messaging.models import CustomerMessage, SmsMessage
from recovery.buckets import oldest_due_between

MONEY = DecimalField(max_digits=16, decimal_places=2)
RECENT = 50  # rows of each history section on the customer page



def _unpaid_periods(user_ref) -> QuerySet[RepaymentPeriod]:
    return RepaymentPeriod.objects.filter(
        application__user=user_ref, application__status=ApplicationStatus.DISBURSED, settlement=RepaymentPeriod.Settlement.UNPAID
    ).order_by()


def with_figures(customers: QuerySet, today: date) -> QuerySet:
    """``loan_count``, ``outstanding`` and ``oldest_unpaid_due`` on each customer (subqueries)."""
    loans = LoanApplication.objects.filter(user=OuterRef("pk")).order_by().values("user")
    unpaid = _unpaid_periods(OuterRef("pk"))
    principal = unpaid.values("application__user").annotate(total=Sum(F("principal") - F("paid_principal"), output_field=MONEY))
    return customers.annotate(
        loan_count=Coalesce(Subquery(loans.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0),
        outstanding=Coalesce(Subquery(principal.values("total")[:1], output_field=MONEY), ZERO, output_field=MONEY),
        oldest_unpaid_due=Subquery(unpaid.filter(due_date__lt=today).order_by("due_date").values("due_date")[:1]),
    )


def dpd(oldest_unpaid_due: date | None, today: date) -> int:
    return (today - oldest_unpaid_due).days if oldest_unpaid_due else 0


def bucket_filter(bucket: str, today: date) -> Q:
    """Customers whose worst DPD is in ``bucket`` (on a queryset :func:`with_figures` annotated)."""
    latest, earliest = oldest_due_between(bucket, today)
    condition = Q(oldest_unpaid_due__lte=latest)
    if earliest is not None:
        condition &= Q(oldest_unpaid_due__gte=earliest)
    return condition


def verification_text(customer) -> str:
    missing = [
        label for done, label in (
            (customer.real_name_verified, "身份"), (customer.bank_card_verified, "银行卡"),
            (customer.mobile_verified, "手机"), (customer.info_completed, "个人信息"),
        ) if not done
    ]
    return "已完成" if not missing else "未认证：" + "、".join(missing)


def flags_text(customer) -> str:
    flags = [label for on, label in ((customer.is_blacklisted, "黑名单"), (customer.is_risk, "风险客户")) if on]
    return "、".join(flags) or "无"


# --- The customer page ----------------------------------------------------------------------


@dataclass(frozen=True)
class LoanRow:
    loan: LoanApplication
    dpd: int
    outstanding: Decimal


@dataclass(frozen=True)
class Profile:
    customer: Customer
    identity: list[tuple[str, str]]
    verification: list[tuple[str, bool]]
    personal: list[tuple[str, str]]
    contacts: list[tuple[str, str, str]]
    devices: list[Device]
    loans: list[LoanRow]
    worst_dpd: int
    outstanding: Decimal
    credit_limit: str
    available: str
    repayments: list[Repayment]
    waivers: list[Waiver]  # every one, approved, pending or rejected (CONTRACT §15)
    messages: list[CustomerMessage]
    sms: list[SmsMessage]
    flag_changes: list[FlagChange]
    credit_changes: list[CreditLimitChange]
    latest_loan: LoanApplication | None  # its phone book is the one staff may open (logged)


def customer_profile(customer: Customer, today: date) -> Profile:
    loans = _loans(customer, today)
    available = available_credit(customer, today)
    return Profile(
        customer=customer,
        identity=_identity(customer, today),
        verification=[
            ("身份信息", customer.real_name_verified), ("银行卡", customer.bank_card_verified),
            ("手机号", customer.mobile_verified), ("个人信息", customer.info_completed),
        ],
        personal=personal_rows(related_or_none(customer, "personal_info")),
        contacts=[
            (contact.get_rel_type_display(), contact.real_name, mask_mobile(contact.phone_num))
            for contact in Contact.objects.filter(user=customer)
        ],
        devices=list(Device.objects.filter(user=customer)),
        loans=loans,
        worst_dpd=max((row.dpd for row in loans), default=0),
        outstanding=sum((row.outstanding for row in loans), ZERO),
        credit_limit=credit_shown(customer.total_credit),
        available="不限额" if available is None else f"{available:.2f}",
        repayments=list(Repayment.objects.filter(application__user=customer).select_related("application")[:RECENT]),
        waivers=list(
            Waiver.objects.filter(application__user=customer).select_related("application", "proposed_by", "decided_by").order_by("-proposed_at")
        ),
        messages=list(CustomerMessage.objects.filter(user=customer).select_related("created_by")[:RECENT]),
        sms=list(SmsMessage.objects.filter(mobile=customer.mobile)[:RECENT]) if customer.mobile else [],
        flag_changes=list(FlagChange.objects.filter(user=customer).select_related("changed_by")),
        credit_changes=list(CreditLimitChange.objects.filter(user=customer).select_related("changed_by")),
        latest_loan=loans[0].loan if loans else None,
    )


def profile_customer(pk) -> Customer | None:
    """The customer with their identity, card and personal information (one query)."""
    return Customer.objects.select_related("identity", "bank_card", "personal_info").filter(pk=pk).first()


def related_or_none(customer, relation: str):
    try:
        return getattr(customer, relation)
    except Exception:  # the reverse one-to-one is missing: RelatedObjectDoesNotExist
        return None


def _identity(customer, today: date) -> list[tuple[str, str]]:
    identity, card = related_or_none(customer, "identity"), related_or_none(customer, "bank_card")
    rows = [("手机号", mask_mobile(customer.mobile or "")), ("姓名", customer.real_name or "未实名")]
    if identity is not None:
        number = identity.id_number
        rows += [
            ("身份证号", mask_number(number)),
            ("性别", "男" if len(number) == 18 and int(number[16]) % 2 else "女" if len(number) == 18 else "未知"),
            ("年龄", _age(number, today)),
            ("身份证签发地", region_name(number[:6])),
        ]
    else:
        rows.append(("身份证号", "未认证"))
    if card is not None:
        rows += [("银行卡号", mask_number(card.card_number)), ("银行预留手机号", mask_mobile(card.reserved_mobile))]
    else:
        rows.append(("银行卡号", "未绑定"))
    return rows


def _age(number: str, today: date) -> str:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "未知"
    return f"{today.year - born.year - ((today.month, today.day) < (born.month, born.day))} 岁"


def _loans(customer, today: date) -> list[LoanRow]:
    """Every loan of the customer, newest first, with its DPD and unpaid principal (two queries)."""
    loans = list(
        LoanApplication.objects.filter(user=customer).select_related("product").defer("phonebook", "risk_facts", "risk_hits")
        .order_by("-applied_at")
    )
    figures = {
        row["application"]: row
        for row in RepaymentPeriod.objects.filter(application__in=[loan.pk for loan in loans], settlement=RepaymentPeriod.Settlement.UNPAID)
        .order_by().values("application")
        .annotate(
            principal=Sum(F("principal") - F("paid_principal"), output_field=MONEY),
            oldest=Subquery(
                RepaymentPeriod.objects.filter(
                    application=OuterRef("application"), settlement=RepaymentPeriod.Settlement.UNPAID, due_date__lt=today
                ).order_by("due_date").values("due_date")[:1]
            ),
        )
    } if loans else {}
    rows = []
    for loan in loans:
        row = figures.get(loan.pk, {})
        disbursed = loan.status == ApplicationStatus.DISBURSED
        rows.append(LoanRow(loan, dpd(row.get("oldest"), today) if disbursed else 0, (row.get("principal") or ZERO) if disbursed else ZERO))
    return rows

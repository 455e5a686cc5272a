"""Reads of collections: the cases open at the end of a day (``manage.py collections``), the
collector's list and case page, the lead's reports."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from accounts.crypto import mask_number
from cashloan.models import ZERO
from cashloan.money import money_str, quantize_money
from loans.models import RepaymentPeriod

from .buckets import BUCKETS
from .cases import Owed, owed
from .models import Assignment, CaseDay, CaseStatus, CollectionCase, ContactLog, PromiseStatus
from .permissions import ASSIGN, LOG_CONTACT


@dataclass(frozen=True)
class OpenCase:
    loan: str
    dpd: int
    bucket: str
    collector: str | None
    due: str
    broken_promise: bool

    def as_json(self) -> dict:
        return {
            "loan": self.loan, "dpd": self.dpd, "bucket": self.bucket, "collector": self.collector,
            "due": self.due, "broken_promise": self.broken_promise,
        }


def cases_open_on(day: date, chunk: int = 2000) -> Iterator[OpenCase]:
    """CONTRACT §13: the cases open at the end of ``day`` as the daily job (and that day's later
    changes) left them -- each case's latest snapshot up to that day -- by DPD descending then
    loan code; streamed in chunks."""
    open_then = Q(case__opened_on__lte=day) & (Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=day))
    latest = CaseDay.objects.filter(case=OuterRef("case"), date__lte=day).order_by("-date").values("date")[:1]
    rows = (
        CaseDay.objects.filter(open_then, date__lte=day, date=Subquery(latest))
        .order_by("-dpd", "case__loan__code")
        .values_list("case__loan__code", "dpd", "bucket", "collector__username", "due", "broken_promise")
    )
    for code, dpd, bucket, collector, due, broken in rows.iterator(chunk_size=chunk):
        yield OpenCase(code, dpd, bucket, collector, money_str(due), broken)


# --- who sees which case -------------------------------------------------------------------------


def sees_every_case(user) -> bool:
    """The collections lead (and a superuser) read every case; a collector only their own."""
    return user.is_superuser or user.has_perm(ASSIGN)


def cases_visible_to(user) -> QuerySet[CollectionCase]:
    cases = CollectionCase.objects.all()
    return cases if sees_every_case(user) else cases.filter(collector=user)


def may_open(user, case: CollectionCase) -> bool:
    return sees_every_case(user) or (case.collector_id is not None and case.collector_id == user.pk)


def may_log_contact(user, case: CollectionCase) -> bool:
    """The case's own collector (or a superuser), while it is open."""
    return case.is_open and (user.is_superuser or (case.collector_id == user.pk and user.has_perm(LOG_CONTACT)))


@dataclass(frozen=True)
class Workload:
    """The open cases a user sees (a collector's own, the lead's all) for the dashboard: by
    bucket with what they owe, the broken promises and the promises due by today."""

    by_bucket: list[tuple[str, int, Decimal]]
    cases: int
    due: Decimal
    broken: int
    promised_today: int
    unassigned: int


def workload(user, today: date) -> Workload:
    """One grouped query, whatever the number of cases."""
    pending = Q(promise_status=PromiseStatus.PENDING, promise_date__lte=today)
    grouped = {
        bucket: figures
        for bucket, *figures in cases_visible_to(user).filter(status=CaseStatus.OPEN).order_by().values_list("bucket").annotate(
            n=Count("pk"), due=Sum("due"), broken=Count("pk", filter=Q(broken_promise=True)),
            promised=Count("pk", filter=pending), unassigned=Count("pk", filter=Q(collector__isnull=True)),
        )
    }
    n, due, broken, promised, unassigned = ([figures[index] or 0 for figures in grouped.values()] for index in range(5))
    return Workload(
        by_bucket=[(bucket, grouped[bucket][0], quantize_money(grouped[bucket][1] or 0)) if bucket in grouped else (bucket, 0, ZERO) for bucket in BUCKETS],
        cases=sum(n), due=quantize_money(sum(due, ZERO)), broken=sum(broken), promised_today=sum(promised), unassigned=sum(unassigned),
    )


# --- the case page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CasePage:
    """What CONTRACT §13 lets a collector see of a case, and nothing more: no phone book, ID and
    card numbers masked."""

    case: CollectionCase
    name: str
    mobile: str
    id_number: str  # masked
    card_number: str  # masked
    owed: Owed
    today: date
    periods: list[RepaymentPeriod]
    emergency_contact: tuple[str, str]  # the application's one contact: name, phone
    contacts: list[ContactLog]
    assignments: list[Assignment]

    @property
    def bucket(self) -> str:
        return self.owed.bucket or self.case.bucket


def case_page(case_id, today: date) -> CasePage | None:
    case = (
        CollectionCase.objects.select_related("loan__user__identity", "loan__user__bank_card", "loan__product", "collector")
        .filter(pk=case_id).first()
    )
    if case is None:
        return None
    loan, user = case.loan, case.loan.user
    periods = list(loan.periods.order_by("number"))
    identity, card = _related_or_none(user, "identity"), _related_or_none(user, "bank_card")
    return CasePage(
        case=case,
        name=user.real_name or (identity.real_name if identity else ""),
        mobile=user.mobile or "",
        id_number=mask_number(identity.id_number) if identity else "",
        card_number=mask_number(card.card_number) if card else "",
        owed=owed(loan, periods, today) if case.is_open else owed(loan, periods, case.as_of),
        today=today,
        periods=periods,
        emergency_contact=(loan.contact_name, loan.contact_phone),
        contacts=list(case.contacts.select_related("collector")),
        assignments=list(case.assignments.select_related("collector", "previous", "assigned_by")),
    )


def _related_or_none(user, name: str):
    try:
        return getattr(user, name)
    except ObjectDoesNotExist:
        return None

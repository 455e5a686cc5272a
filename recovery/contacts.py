"""The contact log (CONTRACT §13): a collector records each contact with the borrower; a promise
to pay carries its date and amount. A case has at most one pending promise: a new promise
replaces it (已改约). Whether a promise was kept is settled in ``recovery.cases``."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cashloan.oplog import log_change

from .models import (
    CaseStatus,
    Channel,
    CollectionCase,
    ContactLog,
    PromiseStatus,
    Result,
)
from .snapshots import snapshot


PROMISE_MAX_DAYS = 30  # a promise to pay is for the coming weeks; a later one would never be broken


class ContactRefused(ValidationError):
    pass


def log_contact(
    case: CollectionCase, by, *, channel: str, result: str, note: str = "",
    promise_date: date | None = None, promise_amount: Decimal | None = None, today: date | None = None,
) -> ContactLog:
    today = today or timezone.localdate()
    _check(channel, result, promise_date, promise_amount, today)
    with transaction.atomic():
        case = CollectionCase.objects.select_for_update(of=("self",)).select_related("loan").get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise ContactRefused("案件已结案，不能再记录")
        promise = result == Result.PROMISE
        if promise:
            case.contacts.filter(promise_status=PromiseStatus.PENDING).update(promise_status=PromiseStatus.REPLACED)
        entry = ContactLog.objects.create(
            case=case, collector=by, channel=channel, result=result, note=note.strip(),
            promise_date=promise_date if promise else None, promise_amount=promise_amount if promise else None,
            promise_status=PromiseStatus.PENDING if promise else PromiseStatus.NONE,
        )
        before = (case.promise_date, case.promise_amount)
        case.last_contact_at = entry.created_at
        if promise:
            case.promise_date, case.promise_amount, case.broken_promise = promise_date, promise_amount, False
            case.promise_status = PromiseStatus.PENDING
        case.save(update_fields=["last_contact_at", "promise_date", "promise_amount", "promise_status", "broken_promise"])
        changes = {"承诺还款日": (before[0], case.promise_date), "承诺金额": (before[1], case.promise_amount)}
        log_change(by, case, changes=changes, verb=f"记录催收：{entry.get_channel_display()}，{entry.get_result_display()}", reason=entry.note)
        if case.as_of >= today:
            snapshot(case, case.as_of)
    return entry


def _check(channel: str, result: str, promise_date, promise_amount, today: date) -> None:
    if channel not in Channel.values or result not in Result.values:
        raise ContactRefused("请选择联系方式与结果")
    if result != Result.PROMISE:
        return
    if promise_date is None or promise_amount is None:
        raise ContactRefused("承诺还款须填写承诺还款日与承诺金额")
    if promise_date < today:
        raise ContactRefused("承诺还款日不能早于今天")
    if promise_date > today + timedelta(days=PROMISE_MAX_DAYS):
        raise ContactRefused(f"承诺还款日不能晚于 {PROMISE_MAX_DAYS} 天后")
    if promise_amount <= 0:
        raise ContactRefused("承诺金额须大于 0")

"""Who works a case (CONTRACT §13): new cases go round-robin to the active collectors (group
催收专员); with ``COLLECTION_ASSIGN_BY_BUCKET`` on, each bucket has its own round among the
collectors given that bucket, and a case that moves to a bucket its collector does not work
goes to the next collector of its new bucket. The collections lead reassigns. Every assignment
is a row of :class:`Assignment`.

Round-robin: the collectors of a round in id order; a new case goes to the one after the
collector who got the round's last automatic assignment (the first when none).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cashloan.roles import COLLECTOR

from .models import Assignment, CaseStatus, CollectionCase, CollectorBuckets
from .snapshots import snapshot


def by_bucket() -> bool:
    return bool(settings.COLLECTION_ASSIGN_BY_BUCKET)


def active_collectors():
    """Active staff in the collector group, in id order."""
    return get_user_model().objects.filter(is_active=True, is_staff=True, groups__name=COLLECTOR).order_by("pk").distinct()


def collectors_for(bucket: str) -> list[int]:
    """The ids of the collectors who may get a case of ``bucket`` (all of them unless by bucket)."""
    ids = list(active_collectors().values_list("pk", flat=True))
    if not by_bucket():
        return ids
    given = dict(CollectorBuckets.objects.filter(collector_id__in=ids).values_list("collector_id", "buckets"))
    return [pk for pk in ids if bucket in (given.get(pk) or [])]


def _pool(bucket: str) -> str:
    return bucket if by_bucket() else ""


def next_collector(bucket: str) -> int | None:
    candidates = collectors_for(bucket)
    if not candidates:
        return None
    last = (
        Assignment.objects.filter(assigned_by__isnull=True, pool=_pool(bucket))
        .order_by("-pk").values_list("collector_id", flat=True).first()
    )
    return next((pk for pk in candidates if last is not None and pk > last), candidates[0])


def assign_automatically(case: CollectionCase, note: str = "新案件自动分案") -> bool:
    """Give the case to the next collector of its round (a new case is saved with it); False
    when there is none (the case stays unassigned and is tried again by the next day's job)."""
    collector_id = next_collector(case.bucket)
    if collector_id is None:
        if case.pk is None:
            case.save()
        return False
    _record(case, collector_id, by=None, note=note)
    return True


def follow_bucket(case: CollectionCase) -> None:
    """The daily job after updating a case: an unassigned case is assigned; by bucket, a case
    whose collector does not work its new bucket goes to that bucket's round."""
    if case.collector_id is None:
        assign_automatically(case)
    elif by_bucket() and case.collector_id not in collectors_for(case.bucket):
        assign_automatically(case, note=f"账龄变为 {case.bucket}，按账龄重新分案")


def _record(case: CollectionCase, collector_id: int, *, by, note: str) -> None:
    previous = case.collector_id
    case.collector_id = collector_id
    if case.pk is None:
        case.save()
    else:
        case.save(update_fields=["collector"])
    Assignment.objects.create(
        case=case, collector_id=collector_id, previous_id=previous, assigned_by=by,
        pool="" if by is not None else _pool(case.bucket), bucket=case.bucket, note=note,
    )


class AssignmentRefused(ValidationError):
    pass


def reassign(case: CollectionCase, collector, *, by, note: str = "") -> CollectionCase:
    """The lead gives an open case to ``collector`` (an active collector; by bucket, one who works
    the case's bucket, or the next job would move it again); logged with the note."""
    with transaction.atomic():
        case = CollectionCase.objects.select_for_update(of=("self",)).select_related("loan", "collector").get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise AssignmentRefused("案件已结案")
        if not active_collectors().filter(pk=collector.pk).exists():
            raise AssignmentRefused(f"{collector} 不是在职的催收专员")
        if by_bucket() and collector.pk not in collectors_for(case.bucket):  # the job would take it back
            raise AssignmentRefused(f"{collector} 不负责 {case.bucket} 账龄（按账龄分案：先在「催收员负责账龄」中加上）")
        if case.collector_id == collector.pk:
            return case
        _record(case, collector.pk, by=by, note=note or "主管调案")
        if case.as_of >= timezone.localdate():
            snapshot(case, case.as_of)
    return case

"""The daily snapshot of a case (:class:`CaseDay`): what ``manage.py collections`` and the reports read."""

from datetime import date

from .models import CaseDay, CollectionCase


def snapshot(case: CollectionCase, day: date) -> None:
    """The case as it stands at the end of ``day`` (written again by each change that day)."""
    row = CaseDay(
        case=case, date=day, dpd=case.dpd, bucket=case.bucket, due=case.due,
        collector_id=case.collector_id, broken_promise=case.broken_promise,
    )
    CaseDay.objects.bulk_create(
        [row], update_conflicts=True, unique_fields=["case", "date"],
        update_fields=["dpd", "bucket", "due", "collector", "broken_promise"],
    )


def drop_from(case: CollectionCase, day: date) -> None:
    """A case closed on ``day`` is not open at its end: no snapshot from that day on."""
    CaseDay.objects.filter(case=case, date__gte=day).delete()

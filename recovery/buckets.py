"""CONTRACT §13's buckets of days past due: ``M1`` 1–30, ``M2`` 31–60, ``M3`` 61–90, ``M4+`` 91 on.

Standard library only: the back office's dashboard and customer list read the same words.
"""

from datetime import date, timedelta

BUCKETS: dict[str, tuple[int, int | None]] = {"M1": (1, 30), "M2": (31, 60), "M3": (61, 90), "M4+": (91, None)}
BUCKET_LABELS = {"M1": "M1（1–30 天）", "M2": "M2（31–60 天）", "M3": "M3（61–90 天）", "M4+": "M4+（91 天及以上）"}
BUCKET_CHOICES = [(bucket, label) for bucket, label in BUCKET_LABELS.items()]
NEXT_BUCKET = {"M1": "M2", "M2": "M3", "M3": "M4+"}


def bucket_of(dpd: int) -> str | None:
    """The bucket of ``dpd`` days past due; None when the loan is not past due."""
    for bucket, (low, high) in BUCKETS.items():
        if dpd >= low and (high is None or dpd <= high):
            return bucket
    return None


def days_past_due(due_dates_unpaid, today: date) -> int:
    """Days since the earliest of the unpaid periods' due dates already passed (0 when none)."""
    past = [due for due in due_dates_unpaid if due < today]
    return (today - min(past)).days if past else 0


def oldest_due_between(bucket: str, today: date) -> tuple[date, date | None]:
    """The (latest, earliest) due date of a loan's oldest unpaid period that puts it in ``bucket``
    today (earliest None: no bound, M4+)."""
    low, high = BUCKETS[bucket]
    return today - timedelta(days=low), (today - timedelta(days=high) if high is not None else None)

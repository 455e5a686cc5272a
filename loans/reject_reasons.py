"""The reasons an officer rejects with (CONTRACT §11: a list staff extend, at 借款 → 拒绝原因).

After every ``migrate`` (and a test database's flush) an empty list is given the usual reasons;
a list staff have started is left as it is (reasons are switched off, never deleted, so a list
once filled stays filled).
"""

DEFAULT_REASONS = ["资料不实", "收入不足", "负债过高", "信用记录不良", "联系人无法核实", "不符合准入条件", "其他"]


def ensure_reasons(sender=None, using: str = "default", **kwargs) -> None:
    """post_migrate handler of loans."""
    from .models import RejectReason

    reasons = RejectReason.objects.using(using)
    if not reasons.exists():
        reasons.bulk_create(RejectReason(name=name, order=number * 10) for number, name in enumerate(DEFAULT_REASONS, start=1))

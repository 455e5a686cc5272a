"""Loan events → a customer message (§24 types 11–17) and, where it warrants, an SMS.

The loan services call :func:`notify_loan_event` inside their transaction; messages are
written in it and SMS leave after commit.
"""

from enum import Enum


class LoanEvent(str, Enum):
    SUBMITTED = "submitted"  # 11
    APPROVED = "approved"  # 12
    REJECTED = "rejected"  # 13
    DISBURSED = "disbursed"  # 14
    REMINDER = "reminder"  # 15 (the daily job)
    REPAID = "repaid"  # 16
    OVERDUE = "overdue"  # 17 (the daily job)


def notify_loan_event(application, event: LoanEvent, *, period=None) -> None:
    """Write the customer message of ``event`` for ``application`` (and queue its SMS)."""

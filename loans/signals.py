"""Signals loans sends for other apps to act on, inside the transaction of the event."""

from django.dispatch import Signal

# Sent with ``loan`` (locked, already marked written off) and ``by`` (the finance user).
# Collections (CONTRACT §13) connects here to close the loan's open case as ``written_off``.
loan_written_off = Signal()

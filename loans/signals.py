"""Signals loans sends for other apps to act on, inside the transaction of the event.

Apps built on loans (collections, ``recovery``) connect here instead of loans importing them.
Every receiver runs under the loan's lock (``loans.locks``), in the event's transaction: what
it writes commits or rolls back with the event.
"""

from django.dispatch import Signal

# Sent with ``loan`` (locked, already marked written off) and ``by`` (the finance user).
# Collections (CONTRACT §13) close the loan's open case as ``written_off`` here.
loan_written_off = Signal()

# Sent by the daily overdue job, and by an approved waiver once the amount is taken off, with
# ``loan`` (locked), ``periods`` (locked, brought up to ``as_of``) and ``as_of``: collections open
# or update the loan's case here.
loan_brought_up_to_date = Signal()

# Sent by the one place every repayment is allocated (``loans.repayments.apply_repayment``: the
# app's and finance's offline ones alike), after the periods are settled, with ``loan`` (locked),
# ``repayment`` and ``today``: collections close the case of a loan left with no overdue period,
# or refresh its figures, in the same transaction.
repayment_allocated = Signal()

# Sent by an approved reversal (``loans.reversals``) with ``loan`` (locked), ``periods`` (locked,
# unpaid again and brought up to ``today``), ``repayment`` (now reversed) and ``today``:
# collections reopen the case the repayment closed, or refresh the open one.
repayment_reversed = Signal()

"""Collections listen to loans' events (``loans.signals``), inside each event's transaction."""

from django.dispatch import receiver

from loans.signals import loan_brought_up_to_date, loan_written_off, repayment_allocated, repayment_reversed

from . import cases


@receiver(loan_brought_up_to_date, dispatch_uid="recovery.sync_case")
def _sync_case(sender, loan, periods, as_of, **kwargs) -> None:
    cases.sync_case(loan, periods, as_of)


@receiver(repayment_allocated, dispatch_uid="recovery.after_repayment")
def _after_repayment(sender, loan, repayment, today, **kwargs) -> None:
    cases.after_repayment(loan, repayment, today)


@receiver(loan_written_off, dispatch_uid="recovery.after_write_off")
def _after_write_off(sender, loan, by, **kwargs) -> None:
    cases.after_write_off(loan)


@receiver(repayment_reversed, dispatch_uid="recovery.after_reversal")
def _after_reversal(sender, loan, periods, repayment, today, **kwargs) -> None:
    cases.after_reversal(loan, periods, repayment, today)

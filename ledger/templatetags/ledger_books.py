"""Template helpers of the books' pages and the dashboard's reconciliation panel."""

from django import template

from cashloan.admin_helpers import staff_with
from ledger.rules import money_text
from ledger.selectors import last_reconciliation

register = template.Library()

RECONCILIATION_PERMISSION = "ledger.view_reconciliation"


@register.filter
def cents(amount: int) -> str:
    """``-495000`` → ``-4950.00``."""
    return money_text(amount or 0)


@register.inclusion_tag("admin/ledger/reconciliation_panel.html", takes_context=True)
def reconciliation_panel(context):
    """The last reconciliation and its differences, for staff who may read the results."""
    if not staff_with(context, RECONCILIATION_PERMISSION):
        return {"visible": False}
    return {"visible": True, "run": last_reconciliation()}

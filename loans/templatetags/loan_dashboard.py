"""``{% admin_dashboard %}``: the back-office dashboard above the admin's app list."""

from django import template

from cashloan.admin_helpers import staff_with
from cashloan.money import quantize_money
from loans.dashboard import dashboard_figures, repayment_chart_svg

register = template.Library()

DASHBOARD_PERMISSION = "loans.view_loanapplication"


@register.inclusion_tag("admin/loans/dashboard.html", takes_context=True)
def admin_dashboard(context):
    """Figures only for staff allowed to see loans (operators, for one, are not)."""
    if not staff_with(context, DASHBOARD_PERMISSION):
        return {"figures": None}
    figures = dashboard_figures()
    return {"figures": figures, "chart": repayment_chart_svg(figures.repayment_days)}


@register.filter
def yuan(amount) -> str:
    """``Decimal("6500")`` → ``¥6,500.00`` (grouped, whatever the locale's separators)."""
    return f"¥{quantize_money(amount):,.2f}"

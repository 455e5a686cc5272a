"""``{% role_dashboard %}``: each role's panels above the admin's app list (``backoffice.dashboard``)."""

from django import template
from django.utils import timezone

from cashloan.admin_helpers import staff_with
from backoffice import dashboard
from recovery import selectors

register = template.Library()


@register.inclusion_tag("admin/backoffice/role_dashboard.html", takes_context=True)
def role_dashboard(context):
    request = context.get("request")
    today = timezone.localdate()
    form, start, end = dashboard.date_range(request.GET if request else None, today)
    panels = {}
    if staff_with(context, dashboard.REVIEW):
        officer = dashboard.officer_panel(request.user, start, end, today)
        panels["officer"] = officer
        panels["officer_chart"] = dashboard.bars_svg([officer.per_day], "每日审核笔数", "笔")
        panels["officer_decided"] = any(count for _, count in officer.per_day)
    if staff_with(context, dashboard.BOOKS):
        finance = dashboard.finance_panel(start, end)
        panels["finance"] = finance
        panels["finance_chart"] = dashboard.bars_svg([finance.disbursed_per_day, finance.repaid_per_day], "每日放款与还款金额", "元")
    ranged = bool(panels)  # the panels above read the date range; those below are as of today
    if staff_with(context, dashboard.CASES):
        panels["cases"] = selectors.workload(request.user, today)
        panels["cases_everyone"] = selectors.sees_every_case(request.user)
    if staff_with(context, dashboard.SCHEDULES):
        panels["buckets"] = dashboard.overdue_buckets(today)
    return {"panels": panels, "ranged": ranged, "form": form, "start": start, "end": end, "today": today, "request": request}

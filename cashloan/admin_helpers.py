"""Small pieces the apps' back-office modules share."""

from django.urls import reverse
from django.utils.html import format_html


class ReadOnlyAdminMixin:
    """View only, for everybody (superusers included): no add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def staff_with(context, permission: str) -> bool:
    """Whether the template's request comes from active staff holding ``permission``."""
    user = getattr(context.get("request"), "user", None)
    return bool(user is not None and user.is_active and user.is_staff and user.has_perm(permission))


# Apps whose permissions no role is given (Django's bookkeeping, django-axes's records, which
# only superusers handle): the group and staff forms do not offer them.
UNASSIGNED_APPS = ("axes", "sessions", "contenttypes")


def assignable_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.exclude(content_type__app_label__in=UNASSIGNED_APPS).select_related("content_type")


def customer_link(user) -> str:
    """A customer named (masked) with a link to their customer page; staff by their user name."""
    if user is None:
        return "—"
    if user.is_staff:
        return str(user)
    name = f"{user.real_name} {user}" if user.real_name else str(user)
    return format_html('<a href="{}" class="customer-link">{}</a>', reverse("admin:accounts_customer_change", args=[user.pk]), name)

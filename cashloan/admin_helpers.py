"""Small pieces the apps' back-office modules share."""


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

"""The project's own admin pages: Django's groups page under the project's rules (it mixes in
:class:`cashloan.admin_actions.StaffAdminMixin` like every other page), and the staff login
locks of django-axes, which a superuser lifts (CONTRACT §11)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group

from . import staff_logins
from .admin_actions import StaffAdminMixin, staff_action
from .admin_helpers import ReadOnlyAdminMixin, assignable_permissions
from .models import StaffLoginFailure

admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(StaffAdminMixin, DjangoGroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions":
            kwargs["queryset"] = assignable_permissions()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class LastAttemptFilter(admin.DateFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "最近一次尝试"  # django-axes names its field in English


@admin.register(StaffLoginFailure)
class StaffLoginFailureAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Failed staff logins and their locks; only superusers see them and unlock."""

    list_display = ["login_name", "address", "failures", "last_attempt", "locking"]
    list_filter = [("attempt_time", LastAttemptFilter)]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["unlock"]
    fields = ["login_name", "address", "failures", "last_attempt", "locking", "user_agent"]
    readonly_fields = fields

    @admin.display(description="用户名", ordering="username")
    def login_name(self, row):
        return row.username

    @admin.display(description="IP 地址", ordering="ip_address")
    def address(self, row):
        return row.ip_address

    @admin.display(description="失败次数", ordering="failures_since_start")
    def failures(self, row):
        return row.failures_since_start

    @admin.display(description="最近一次尝试", ordering="attempt_time")
    def last_attempt(self, row):
        return row.attempt_time

    @admin.display(description="锁定中", boolean=True)
    def locking(self, row):
        return staff_logins.is_locking(row)

    @staff_action(
        description="解除所选用户名与地址的锁定", verb="解除锁定", unit="条", permissions=["unlock"],
        fields=[("failures_since_start", "失败次数")],
    )
    def unlock(self, request, row, form):
        return staff_logins.unlock(row)

    def has_unlock_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_superuser

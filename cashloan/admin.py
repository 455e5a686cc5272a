"""Django's own admin pages under the project's rules: the staff groups' page mixes in
:class:`cashloan.admin_actions.StaffAdminMixin` like every other page."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group

from .admin_actions import StaffAdminMixin

admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(StaffAdminMixin, DjangoGroupAdmin):
    pass

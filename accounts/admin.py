"""The back office for customers (zh-hans): verification state, flags, credit, devices,
feedback and app versions. ID and bank-card numbers are only ever shown masked here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from cashloan.admin_actions import StaffAdminMixin

from .crypto import mask_number
from .models import AppVersion, BankCard, Contact, Device, Feedback, Identity, PersonalInfo, User


class IdentityInline(admin.StackedInline):
    model = Identity
    can_delete = False
    extra = 0
    max_num = 0
    fields = ["real_name", "masked_id_number", "verified_at"]
    readonly_fields = fields

    @admin.display(description="身份证号")
    def masked_id_number(self, obj):
        return mask_number(obj.id_number)


class BankCardInline(admin.StackedInline):
    model = BankCard
    can_delete = False
    extra = 0
    max_num = 0
    fields = ["masked_card_number", "reserved_mobile", "verified_at"]
    readonly_fields = fields

    @admin.display(description="银行卡号")
    def masked_card_number(self, obj):
        return mask_number(obj.card_number)


class PersonalInfoInline(admin.StackedInline):
    model = PersonalInfo
    can_delete = False
    extra = 0
    max_num = 0
    fields = [field.name for field in PersonalInfo._meta.fields if field.name not in ("id", "user")]
    readonly_fields = fields


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["rel_type", "real_name", "phone_num", "updated_at"]
    readonly_fields = ["updated_at"]


class DeviceInline(admin.TabularInline):
    model = Device
    extra = 0
    can_delete = False
    fields = ["app_type", "token", "first_login_at", "last_login_at"]
    readonly_fields = fields


@admin.register(User)
class UserAdmin(StaffAdminMixin, DjangoUserAdmin):
    list_display = [
        "mobile", "real_name", "real_name_verified", "bank_card_verified", "mobile_verified", "info_completed",
        "is_blacklisted", "is_risk", "total_credit", "date_joined",
    ]
    list_filter = ["real_name_verified", "bank_card_verified", "mobile_verified", "info_completed", "is_blacklisted", "is_risk", "is_staff", "is_active"]
    list_editable = ["is_blacklisted", "is_risk", "total_credit"]
    search_fields = ["mobile", "username", "real_name"]
    ordering = ["-date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("客户信息", {"fields": ["mobile", "real_name"]}),
        ("认证状态", {"fields": ["real_name_verified", "bank_card_verified", "mobile_verified", "info_completed"]}),
        ("风控与授信", {"fields": ["is_blacklisted", "is_risk", "total_credit"]}),
        ("权限", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"], "classes": ["collapse"]}),
        ("重要日期", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "mobile", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [IdentityInline, BankCardInline, PersonalInfoInline, ContactInline, DeviceInline]


@admin.register(Device)
class DeviceAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["user", "app_type", "token", "first_login_at", "last_login_at"]
    list_filter = ["app_type"]
    search_fields = ["user__mobile", "token"]
    list_select_related = ["user"]
    readonly_fields = ["user", "app_type", "token", "first_login_at", "last_login_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Feedback)
class FeedbackAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["mobile", "source", "short_suggestion", "user", "created_at"]
    list_filter = ["source", "created_at"]
    search_fields = ["mobile", "suggestion"]
    list_select_related = ["user"]
    readonly_fields = ["mobile", "source", "suggestion", "user", "created_at"]

    @admin.display(description="意见")
    def short_suggestion(self, obj):
        return obj.suggestion if len(obj.suggestion) <= 40 else obj.suggestion[:40] + "…"

    def has_add_permission(self, request):
        return False


@admin.register(AppVersion)
class AppVersionAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["app_type", "version_code", "version_name", "force_update", "created_at"]
    list_filter = ["app_type", "force_update"]
    search_fields = ["version_name"]

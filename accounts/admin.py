"""The back office for customers (zh-hans): verification state, flags, credit, devices,
feedback and app versions. ID and bank-card numbers are only ever shown masked here."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from cashloan.admin_actions import StaffAdminMixin

from . import credit_limits
from .crypto import mask_number
from .models import AppVersion, BankCard, Contact, CreditLimitChange, Device, Feedback, Identity, PersonalInfo, User

SET_CREDIT_LIMIT = "accounts.set_credit_limit"


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


class CreditLimitChangeInline(admin.TabularInline):
    """授信额度变更记录: every change of the limit with its cause (CONTRACT §12), read-only."""

    model = CreditLimitChange
    fk_name = "user"
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "授信额度变更记录"
    fields = ["changed_at", "cause", "before", "after", "reason", "loan_code", "changed_by"]
    readonly_fields = fields
    ordering = ["-changed_at", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    def has_change_permission(self, request, obj=None):
        return False


class CreditLimitForm(forms.Form):
    limit = forms.DecimalField(
        label="新的总授信额度（元）", required=False, min_value=0, max_digits=14, decimal_places=2, help_text="留空表示不限额度"
    )
    reason = forms.CharField(label="调整原因", max_length=200, help_text="必填，记入额度变更记录和操作日志")


@admin.register(User)
class UserAdmin(StaffAdminMixin, DjangoUserAdmin):
    list_display = [
        "mobile", "real_name", "real_name_verified", "bank_card_verified", "mobile_verified", "info_completed",
        "is_blacklisted", "is_risk", "total_credit", "date_joined",
    ]
    list_filter = ["real_name_verified", "bank_card_verified", "mobile_verified", "info_completed", "is_blacklisted", "is_risk", "is_staff", "is_active"]
    list_editable = ["is_blacklisted", "is_risk"]
    search_fields = ["mobile", "username", "real_name"]
    ordering = ["-date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("客户信息", {"fields": ["mobile", "real_name"]}),
        ("认证状态", {"fields": ["real_name_verified", "bank_card_verified", "mobile_verified", "info_completed"]}),
        ("风控与授信", {"fields": ["is_blacklisted", "is_risk", "credit_limit"]}),
        ("权限", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"], "classes": ["collapse"]}),
        ("重要日期", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "mobile", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "credit_limit"]
    inlines = [IdentityInline, BankCardInline, PersonalInfoInline, ContactInline, DeviceInline, CreditLimitChangeInline]

    # --- the credit limit: changed only through its form, with a reason ----------------------

    @admin.display(description="总授信额度")
    def credit_limit(self, user: User) -> str:
        shown = "不限额" if user.total_credit is None else f"{user.total_credit:.2f} 元"
        if user.pk is None:
            return shown
        url = reverse("admin:accounts_user_credit_limit", args=[user.pk])
        return format_html('{} <a class="button" href="{}">调整授信额度</a>', shown, url)

    def get_urls(self):
        view = self.admin_site.admin_view(self.credit_limit_view)
        return [path("<int:user_id>/credit-limit/", view, name="accounts_user_credit_limit"), *super().get_urls()]

    def credit_limit_view(self, request, user_id: int):
        if not request.user.has_perm(SET_CREDIT_LIMIT):
            raise PermissionDenied
        customer = get_object_or_404(User, pk=user_id)
        form = CreditLimitForm(request.POST or None, initial={"limit": customer.total_credit})
        if request.method == "POST" and form.is_valid():
            try:
                change = credit_limits.set_credit_limit(
                    customer, form.cleaned_data["limit"], by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                text = "授信额度未变化" if change is None else f"已将 {customer} 的授信额度调整为 {credit_limits.shown(change.after)}"
                self.message_user(request, text, messages.SUCCESS if change else messages.WARNING)
                return redirect("admin:accounts_user_change", customer.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": customer,
            "title": f"调整授信额度：{customer}",
            "form": form,
            "current": credit_limits.shown(customer.total_credit),
        }
        return TemplateResponse(request, "admin/accounts/user/credit_limit.html", context)

    def get_fieldsets(self, request, obj=None):
        """Who may not change the user (a loan officer reading a customer's file) sees neither the
        password's hash details nor the 重置密码 button that would lead them to a 403."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field != "password"]})
            for name, options in fieldsets
        ]


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

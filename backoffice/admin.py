"""客户: the customer list and the customer page (everything about one customer on one page).

Customers are read here, never edited by hand: the blacklist and risk flags change only
through the action 调整标记 (a reason required; CONTRACT §11), the credit limit through its
form (``accounts.credit_limits``). Mobiles, ID and card numbers are masked; the full ones are
on a page of their own whose every opening is in the operation log.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from accounts import credit_limits, flags
from accounts.crypto import mask_number
from accounts.models import Customer
from cashloan.admin_actions import ReasonForm, StaffAdminMixin, staff_action
from cashloan.exports import ChangelistExportMixin
from cashloan.oplog import log_staff_action
from messaging.masking import mask_mobile
from recovery.buckets import BUCKET_LABELS, BUCKETS

from . import selectors

SET_CREDIT_LIMIT = "accounts.set_credit_limit"
CHANGE_FLAGS = "accounts.change_customer_flags"
REVEAL = "accounts.reveal_customer"


class FlagsForm(ReasonForm):
    """The two flags (each: unchanged, on, off) and the reason (CONTRACT §11)."""

    is_blacklisted = forms.ChoiceField(
        label="黑名单", required=False, choices=[("", "不变"), ("on", "加入黑名单"), ("off", "移出黑名单")]
    )
    is_risk = forms.ChoiceField(
        label="风险客户", required=False, choices=[("", "不变"), ("on", "标记为风险客户"), ("off", "取消风险标记")]
    )
    reason = forms.CharField(label="调整原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    field_order = ["is_blacklisted", "is_risk", "reason"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_blacklisted") and not cleaned.get("is_risk"):
            raise ValidationError("请选择要调整的标记")
        return cleaned

    def wanted(self) -> dict[str, bool | None]:
        return {name: {"on": True, "off": False}.get(self.cleaned_data.get(name, "")) for name in ("is_blacklisted", "is_risk")}


class CreditLimitForm(forms.Form):
    limit = forms.DecimalField(
        label="新的总授信额度（元）", required=False, min_value=0, max_digits=14, decimal_places=2, help_text="留空表示不限额度"
    )
    reason = forms.CharField(label="调整原因", max_length=200, help_text="必填，记入额度变更记录和操作日志")


class VerificationFilter(admin.SimpleListFilter):
    title = "认证"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", "已完成全部认证"), ("no", "未完成认证")]

    def queryset(self, request, queryset):
        complete = dict(real_name_verified=True, bank_card_verified=True, mobile_verified=True, info_completed=True)
        if self.value() == "yes":
            return queryset.filter(**complete)
        if self.value() == "no":
            return queryset.exclude(**complete)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "逾期（最长逾期天数）"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("none", "未逾期"), *BUCKET_LABELS.items()]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(oldest_unpaid_due__isnull=True)
        if value in BUCKETS:
            return queryset.filter(selectors.bucket_filter(value, timezone.localdate()))
        return queryset


class RegisteredFilter(admin.DateFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "注册时间"  # Django names the field 加入日期


@admin.register(Customer)
class CustomerAdmin(StaffAdminMixin, ChangelistExportMixin, admin.ModelAdmin):
    list_display = [
        "masked_mobile", "real_name", "verification", "flags", "credit", "loan_count", "outstanding", "worst_dpd", "registered",
    ]
    list_display_links = ["masked_mobile"]
    list_filter = [VerificationFilter, "is_blacklisted", "is_risk", OverdueFilter, ("date_joined", RegisteredFilter)]
    search_fields = ["=mobile", "real_name"]
    search_help_text = "输入完整手机号或姓名"
    ordering = ["-date_joined", "-id"]
    actions = ["change_flags"]
    export_name = "客户"
    export_columns = [
        ("手机号", "masked_mobile"), ("姓名", "real_name"), ("身份证号", "masked_id_number"), ("认证", "verification"),
        ("标记", "flags"), ("总授信额度", "credit"), ("借款笔数", "loan_count"), ("在贷本金", "outstanding"),
        ("最长逾期天数", "worst_dpd"), ("注册时间", "date_joined"),
    ]

    def get_queryset(self, request):
        return selectors.with_figures(super().get_queryset(request), timezone.localdate())

    def export_queryset(self, request):
        return super().export_queryset(request).select_related("identity")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # --- columns ------------------------------------------------------------------------------

    @admin.display(description="手机号", ordering="mobile")
    def masked_mobile(self, customer) -> str:
        return mask_mobile(customer.mobile or "") or customer.username

    @admin.display(description="身份证号")
    def masked_id_number(self, customer) -> str:
        identity = selectors.related_or_none(customer, "identity")
        return mask_number(identity.id_number) if identity else ""

    @admin.display(description="认证")
    def verification(self, customer) -> str:
        return selectors.verification_text(customer)

    @admin.display(description="标记")
    def flags(self, customer) -> str:
        return selectors.flags_text(customer)

    @admin.display(description="总授信额度", ordering="total_credit")
    def credit(self, customer) -> str:
        return credit_limits.shown(customer.total_credit)

    @admin.display(description="借款笔数", ordering="loan_count")
    def loan_count(self, customer) -> int:
        return customer.loan_count

    @admin.display(description="在贷本金", ordering="outstanding")
    def outstanding(self, customer) -> str:
        return f"{customer.outstanding:.2f}"

    @admin.display(description="最长逾期天数")
    def worst_dpd(self, customer) -> int:
        return selectors.dpd(customer.oldest_unpaid_due, timezone.localdate())

    @admin.display(description="注册时间", ordering="date_joined")
    def registered(self, customer) -> str:
        return timezone.localtime(customer.date_joined).strftime("%Y-%m-%d %H:%M")

    # --- flags: only through this action, with a reason -----------------------------------------

    def has_change_flags_permission(self, request) -> bool:
        return request.user.has_perm(CHANGE_FLAGS)

    @staff_action(
        description="调整黑名单与风险标记", verb="调整标记", unit="位客户", permissions=["change_flags"],
        fields=["is_blacklisted", "is_risk"], form=FlagsForm,
    )
    def change_flags(self, request, customer, form):
        flags.set_flags(customer, by=request.user, reason=form.reason_text(), **form.wanted())
        return customer

    def response_action(self, request, queryset):
        """The customer page's own flag form comes back to the customer page."""
        response = super().response_action(request, queryset)
        back = request.POST.get("back_to_customer", "")
        if response is not None and response.status_code == 302 and back.isascii() and back.isdigit():
            return redirect("admin:accounts_customer_change", back)
        return response

    # --- pages ----------------------------------------------------------------------------------

    def get_urls(self):
        own = [
            path("<int:user_id>/credit-limit/", self.admin_site.admin_view(self.credit_limit_view), name="accounts_customer_credit_limit"),
            path("<int:user_id>/reveal/", self.admin_site.admin_view(self.reveal_view), name="accounts_customer_reveal"),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The customer page: identity, verification, personal information, contacts, devices,
        loans, repayments, messages, SMS, and the flag and credit-limit histories."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        customer = selectors.profile_customer(object_id) if str(object_id).isascii() and str(object_id).isdigit() else None
        if customer is None:
            raise Http404("没有这位客户")
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": customer,
            "title": f"客户：{customer.real_name or customer}",
            "profile": selectors.customer_profile(customer, today),
            "flags_form": FlagsForm() if self.has_change_flags_permission(request) else None,
            "can_set_credit_limit": request.user.has_perm(SET_CREDIT_LIMIT),
            "can_reveal": request.user.has_perm(REVEAL),
            "can_open_loans": request.user.has_perm("loans.view_loanapplication"),
        }
        return TemplateResponse(request, "admin/accounts/customer/profile.html", context)

    def credit_limit_view(self, request, user_id: int):
        if not request.user.has_perm(SET_CREDIT_LIMIT):
            raise PermissionDenied
        customer = Customer.objects.filter(pk=user_id).first()
        if customer is None:
            raise Http404("没有这位客户")
        form = CreditLimitForm(request.POST or None, initial={"limit": customer.total_credit})
        if request.method == "POST" and form.is_valid():
            try:
                change = credit_limits.set_credit_limit(customer, form.cleaned_data["limit"], by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                text = "授信额度未变化" if change is None else f"已将 {customer} 的授信额度调整为 {credit_limits.shown(change.after)}"
                self.message_user(request, text, messages.SUCCESS if change else messages.WARNING)
                return redirect("admin:accounts_customer_change", customer.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": customer,
            "title": f"调整授信额度：{customer}",
            "form": form,
            "current": credit_limits.shown(customer.total_credit),
        }
        return TemplateResponse(request, "admin/accounts/customer/credit_limit.html", context)

    def reveal_view(self, request, user_id: int):
        """The full mobile, ID and card numbers and the contacts' mobiles; each opening is one row
        of the operation log (CONTRACT §11)."""
        if not request.user.has_perm(REVEAL):
            raise PermissionDenied
        customer = selectors.profile_customer(user_id)
        if customer is None:
            raise Http404("没有这位客户")
        identity, card = selectors.related_or_none(customer, "identity"), selectors.related_or_none(customer, "bank_card")
        rows = [("手机号", customer.mobile or "")]
        if identity is not None:
            rows.append(("身份证号", identity.id_number))
        if card is not None:
            rows += [("银行卡号", card.card_number), ("银行预留手机号", card.reserved_mobile)]
        contacts = [(c.get_rel_type_display(), c.real_name, c.phone_num) for c in customer.contacts.all()]
        log_staff_action(request.user, "查看完整个人信息（手机号、身份证号、银行卡号、联系人手机号）", obj=customer)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": customer,
            "title": f"完整个人信息：{customer.real_name or customer}",
            "rows": rows,
            "contacts": contacts,
        }
        return TemplateResponse(request, "admin/accounts/customer/reveal.html", context)

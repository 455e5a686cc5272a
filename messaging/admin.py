from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.urls import path, reverse

from cashloan.admin_actions import StaffAdminMixin, staff_action
from cashloan.admin_helpers import ReadOnlyAdminMixin, customer_link

from .h5_texts import DEFAULT_PAGES
from .models import SMS_PURPOSES, AdminActionLog, CustomerMessage, CustomerMessageType, H5Page, NoticeLog, SmsMessage, SystemMessage
from .masking import mask_mobile
from .services import resend_sms

WRITE_CUSTOMER_MESSAGE = "messaging.add_customermessage"
MIN_MOBILE_DIGITS = 4  # what an operator types before customers are offered
CUSTOMER_CHOICES = 20


class CustomerAutocomplete(AutocompleteSelect):
    """Django's autocomplete box, asking the customer-message page's own look-up (by mobile), which
    needs only the permission to write a customer message (Django's asks for the right to view
    the user table, which an operator has no need of)."""

    def __init__(self, attrs=None):
        super().__init__(CustomerMessage._meta.get_field("user"), admin.site, attrs=attrs)

    def get_url(self):
        return reverse("admin:messaging_customermessage_customers")


def customer_label(user) -> str:
    return f"{user} {user.real_name}".strip()


class CustomerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return customer_label(user)


class CustomerMessageForm(forms.ModelForm):
    user = CustomerChoiceField(
        label="客户", queryset=get_user_model().objects.filter(is_staff=False), widget=CustomerAutocomplete(),
        help_text=f"输入客户手机号（至少 {MIN_MOBILE_DIGITS} 位）后选择",
    )

    class Meta:
        model = CustomerMessage
        fields = ["user", "title", "content"]


@admin.register(CustomerMessage)
class CustomerMessageAdmin(StaffAdminMixin, admin.ModelAdmin):
    """Staff write type-99 messages to one customer; messages already sent are read-only."""

    list_display = ["title", "customer", "message_type", "application", "sent_at", "created_by"]
    list_filter = ["message_type", "sent_at"]
    search_fields = ["title", "=user__mobile"]
    search_help_text = "输入标题或客户的完整手机号"
    date_hierarchy = "sent_at"
    list_select_related = ["user", "application", "created_by"]
    form = CustomerMessageForm

    @admin.display(description="客户", ordering="user__mobile")
    def customer(self, message):
        return customer_link(message.user)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "title", "content"]
        return ["customer", "message_type", "title", "content", "application", "sent_at", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return self.get_fields(request, obj)

    def get_urls(self):
        view = self.admin_site.admin_view(self.customers_view)
        return [path("customers/", view, name="messaging_customermessage_customers"), *super().get_urls()]

    def customers_view(self, request):
        """Customers whose mobile starts with what was typed, masked (select2's JSON)."""
        if not request.user.has_perm(WRITE_CUSTOMER_MESSAGE):
            raise PermissionDenied
        term = "".join(character for character in request.GET.get("term", "") if character.isascii() and character.isdigit())
        found = []
        if len(term) >= MIN_MOBILE_DIGITS:
            customers = get_user_model().objects.filter(is_staff=False, mobile__startswith=term).order_by("mobile")
            found = [{"id": str(user.pk), "text": customer_label(user)} for user in customers[:CUSTOMER_CHOICES]]
        return JsonResponse({"results": found, "pagination": {"more": False}})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.message_type = CustomerMessageType.OTHER
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SystemMessage)
class SystemMessageAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["title", "message_type", "publish_at", "is_published", "created_at"]
    list_filter = ["message_type"]
    search_fields = ["title", "content"]
    date_hierarchy = "publish_at"
    fields = ["message_type", "title", "content", "event_url", "publish_at"]

    @admin.display(boolean=True, description="已发布")
    def is_published(self, obj):
        from django.utils import timezone

        return obj.publish_at <= timezone.now()


class SmsPurposeFilter(admin.SimpleListFilter):
    title = "用途"
    parameter_name = "purpose"

    def lookups(self, request, model_admin):
        return list(SMS_PURPOSES.items())

    def queryset(self, request, queryset):
        return queryset.filter(purpose=self.value()) if self.value() else queryset


@admin.register(SmsMessage)
class SmsMessageAdmin(StaffAdminMixin, admin.ModelAdmin):
    """The SMS log: read-only; failed messages can be re-sent (permission ``resend_smsmessage``).

    Mobiles are masked on the list and the detail page (CONTRACT §11: a full mobile is shown
    only where its view is logged); staff answering a customer search by the full number.
    """

    list_display = ["masked_mobile", "purpose_text", "status", "attempts", "short_error", "created_at", "sent_at"]
    list_filter = ["status", SmsPurposeFilter, "created_at"]
    search_fields = ["=mobile"]
    search_help_text = "输入完整手机号"
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = ["masked_mobile", "shown_text", "purpose_text", "status", "attempts", "last_error", "created_at", "not_before", "sent_at"]
    readonly_fields = fields

    @admin.display(description="手机号", ordering="mobile")
    def masked_mobile(self, obj):
        return mask_mobile(obj.mobile)

    @admin.display(description="用途", ordering="purpose")
    def purpose_text(self, obj):
        return obj.purpose_label

    @admin.display(description="内容")
    def shown_text(self, obj):
        return obj.masked_text

    @admin.display(description="最近错误")
    def short_error(self, obj):
        return obj.last_error[:60]

    @staff_action(description="重新发送选中的失败短信", verb="重新提交", unit="条短信", permissions=["resend"], fields=["status"])
    def resend(self, request, sms, form):
        if not resend_sms([sms.pk]):
            raise ValidationError("未重新发送：不是失败状态，或该借款今日已发送过短信（每日一条）")

    def has_resend_permission(self, request):
        return request.user.has_perm("messaging.resend_smsmessage")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the log is the proof of what was sent


class H5PageForm(forms.ModelForm):
    """A page is one of the app's fixed pages: chosen once, when its text is first saved."""

    slug = forms.ChoiceField(label="页面", choices=[])

    class Meta:
        model = H5Page
        fields = ["slug", "title", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            del self.fields["slug"]  # fixed once saved
            return
        taken = set(H5Page.objects.values_list("slug", flat=True))
        self.fields["slug"].choices = [(slug, title) for slug, (title, _) in DEFAULT_PAGES.items() if slug not in taken]


@admin.register(H5Page)
class H5PageAdmin(StaffAdminMixin, admin.ModelAdmin):
    """The H5 pages' texts; which page a text belongs to is fixed (renaming it would silently
    leave the page on its default text)."""

    list_display = ["title", "page", "updated_at"]
    search_fields = ["title"]
    form = H5PageForm

    @admin.display(description="页面", ordering="slug")
    def page(self, obj):
        return DEFAULT_PAGES.get(obj.slug, (f"未知页面（{obj.slug}）",))[0]

    def get_fields(self, request, obj=None):
        return ["slug", "title", "body"] if obj is None else ["page", "title", "body", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["page", "updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and H5Page.objects.count() < len(DEFAULT_PAGES)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NoticeLog)
class NoticeLogAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["period", "kind", "date", "created_at"]
    list_filter = ["kind", "date"]
    list_select_related = ["period__application"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AdminActionLog)
class AdminActionLogAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """操作日志: every change made in the admin (Django's LogEntry), read-only."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag", "change_summary"]
    list_filter = ["action_flag", ("content_type", admin.RelatedOnlyFieldListFilter), "action_time"]
    search_fields = ["object_repr", "object_id", "user__username", "user__mobile"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]
    fields = ["action_time", "user", "content_type", "object_id", "object_repr", "action_flag", "change_summary"]
    readonly_fields = fields

    @admin.display(description="修改内容")
    def change_summary(self, obj: LogEntry):
        return obj.get_change_message()

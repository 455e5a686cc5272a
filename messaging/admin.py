from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError

from cashloan.admin_actions import StaffAdminMixin, staff_action
from cashloan.admin_helpers import ReadOnlyAdminMixin

from .models import AdminActionLog, CustomerMessage, CustomerMessageType, H5Page, NoticeLog, SmsMessage, SystemMessage
from .masking import mask_mobile
from .services import resend_sms


@admin.register(CustomerMessage)
class CustomerMessageAdmin(StaffAdminMixin, admin.ModelAdmin):
    """Staff write type-99 messages to one customer; messages already sent are read-only."""

    list_display = ["title", "user", "message_type", "application", "sent_at", "created_by"]
    list_filter = ["message_type", "sent_at"]
    search_fields = ["title", "user__mobile", "user__username"]
    raw_id_fields = ["user"]
    date_hierarchy = "sent_at"
    list_select_related = ["user", "application", "created_by"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "title", "content"]
        return ["user", "message_type", "title", "content", "application", "sent_at", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return self.get_fields(request, obj)

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


@admin.register(SmsMessage)
class SmsMessageAdmin(StaffAdminMixin, admin.ModelAdmin):
    """The SMS log: read-only; failed messages can be re-sent (permission ``resend_smsmessage``).

    The list masks mobiles; the detail page (and search) use the full number, which staff
    need to answer a customer who says an SMS never arrived.
    """

    list_display = ["masked_mobile", "purpose", "status", "attempts", "short_error", "created_at", "sent_at"]
    list_filter = ["status", "purpose", "created_at"]
    search_fields = ["=mobile"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = ["mobile", "text", "purpose", "status", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields

    @admin.display(description="手机号", ordering="mobile")
    def masked_mobile(self, obj):
        return mask_mobile(obj.mobile)

    @admin.display(description="最近错误")
    def short_error(self, obj):
        return obj.last_error[:60]

    @staff_action(description="重新发送选中的失败短信", verb="重新提交", unit="条短信", permissions=["resend"], fields=["status"])
    def resend(self, request, sms, form):
        if not resend_sms([sms.pk]):
            raise ValidationError("不是失败状态，未重新发送")

    def has_resend_permission(self, request):
        return request.user.has_perm("messaging.resend_smsmessage")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the log is the proof of what was sent


@admin.register(H5Page)
class H5PageAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "slug"]


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
    list_filter = ["action_flag", "content_type", "action_time"]
    search_fields = ["object_repr", "object_id", "user__username", "user__mobile"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]
    fields = ["action_time", "user", "content_type", "object_id", "object_repr", "action_flag", "change_summary"]
    readonly_fields = fields

    @admin.display(description="修改内容")
    def change_summary(self, obj: LogEntry):
        return obj.get_change_message()

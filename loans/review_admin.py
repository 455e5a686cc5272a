"""The loan officer's and finance's work in the back office (issue 14, CONTRACT §11), mixed into
the applications' admin (``loans.admin``):

* the queue: the list with waiting applications first, oldest first, with waiting time, the
  applicant, amount, product, term, the risk summary and who claimed it;
* the actions ``claim_applications``, ``release_applications``, ``approve_applications``,
  ``reject_applications`` (a reason from the list staff extend, and a note) and
  ``disburse_applications`` (finance, after a confirmation page with each loan's amount, fee,
  net payout and the total);
* the review sheet (the application's page) with the buttons of those actions, and the phone
  book's own page, each opening of which is in the operation log.

Every write is a service of :mod:`loans.lifecycle` run through ``staff_action``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from cashloan.admin_actions import ConfirmForm, ReasonForm, StaffAdminMixin, staff_action
from cashloan.admin_helpers import ReadOnlyAdminMixin, customer_link
from cashloan.models import ZERO
from cashloan.money import percent_str
from cashloan.oplog import log_staff_action
from products.rules import OTHER_CHANNELS_DATA, PURPOSE_DATA
from risk.kinds import Outcome, seen_text

from . import lifecycle, review
from .disbursements import get_disbursement_provider, provider_label
from .models import Actor, ApplicationStatus, Disbursement, LoanApplication, RejectReason, StatusChange
from .permissions import DISBURSE_PERMISSION, PHONEBOOK_PERMISSION, REVIEW_PERMISSION

Status = ApplicationStatus
OFFICERS_GROUP = "信贷专员"


# --- forms ----------------------------------------------------------------------------------------


class RejectForm(ReasonForm):
    """CONTRACT §11: ``reason``, one of the list staff extend (posted by its name), and ``note``."""

    reason = forms.ModelChoiceField(
        label="拒绝原因", queryset=RejectReason.objects.filter(is_active=True), to_field_name="name", empty_label="请选择",
        error_messages={"invalid_choice": "请从列表中选择拒绝原因"},
    )
    note = forms.CharField(
        label="备注", max_length=140, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), error_messages={"required": "请填写备注"},
        help_text="写明核实到的情况，客户看不到备注",
    )

    def reason_text(self) -> str:
        return lifecycle.reject_text(self.cleaned_data["reason"], self.cleaned_data["note"])


class DisburseForm(ConfirmForm):
    """The confirmation before money leaves: each loan's amount, fee, net payout, and the total."""

    template = "admin/loans/loanapplication/disburse_confirmation.html"

    def page_context(self, objects: list[LoanApplication], request) -> dict:
        rows = [(loan, disbursal_refusal(loan, request.user)) for loan in objects]
        payable = [loan for loan, refusal in rows if not refusal]
        return {
            "rows": rows,
            "payable_count": len(payable),
            "total_amount": sum((loan.apply_amount for loan in payable), ZERO),
            "total_fee": sum((loan.service_fee for loan in payable), ZERO),
            "total_net": sum((loan.reply_amount for loan in payable), ZERO),
            "provider": provider_label(get_disbursement_provider().name),
        }


def disbursal_refusal(loan: LoanApplication, user) -> str:
    """Why the confirmation page already knows a loan will be refused ("" when it will be paid)."""
    if loan.status != Status.APPROVED:
        return f"当前状态为「{loan.get_status_display()}」，不能放款"
    if settings.FOUR_EYES and loan.reviewed_by_id == user.pk:
        return "您审核通过了这笔借款，须由另一位员工放款（四眼原则）"
    return ""


# --- list filters ---------------------------------------------------------------------------------


class WaitingFilter(admin.SimpleListFilter):
    title = "等待时长"
    parameter_name = "waiting"
    SPANS = {
        "any": ("待处理（待审核、审核中）", None, None),
        "lt1h": ("不到 1 小时", None, timedelta(hours=1)),
        "1h-1d": ("1 小时至 1 天", timedelta(hours=1), timedelta(days=1)),
        "gt1d": ("超过 1 天", timedelta(days=1), None),
        "gt3d": ("超过 3 天", timedelta(days=3), None),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _, _) in self.SPANS.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.SPANS:
            return queryset
        _, at_least, under = self.SPANS[self.value()]
        now = timezone.now()
        queryset = queryset.filter(status__in=review.WAITING)
        if at_least is not None:
            queryset = queryset.filter(applied_at__lte=now - at_least)
        if under is not None:
            queryset = queryset.filter(applied_at__gt=now - under)
        return queryset


class ClaimedByFilter(admin.SimpleListFilter):
    title = "领取人"
    parameter_name = "claimed_by"

    def lookups(self, request, model_admin):
        officers = get_user_model().objects.filter(is_staff=True, groups__name=OFFICERS_GROUP).order_by("username")
        return [("me", "我领取的"), ("none", "未领取"), *((str(user.pk), str(user)) for user in officers)]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(claimed_by=request.user)
        if value == "none":
            return queryset.filter(claimed_by__isnull=True, status=Status.PENDING)
        if value and value.isascii() and value.isdigit():  # not "²": int() refuses it
            return queryset.filter(claimed_by_id=int(value))
        return queryset


# --- the mixin ------------------------------------------------------------------------------------


STATUS_CLASS = {
    Status.PENDING: "pending", Status.IN_REVIEW: "in-review", Status.APPROVED: "approved", Status.REJECTED: "rejected",
    Status.DISBURSED: "disbursed", Status.PAID_OFF: "paid-off",
}


def status_label(loan: LoanApplication) -> str:
    return format_html('<span class="status-label status-{}">{}</span>', STATUS_CLASS.get(loan.status, "other"), loan.get_status_display())


class ReviewAdminMixin:
    """The queue, the review actions and the review sheet of :class:`loans.admin.LoanApplicationAdmin`."""

    change_list_template = "admin/loans/loanapplication/change_list.html"
    review_list_display = (
        "code", "applied", "waiting", "applicant", "amount", "product", "term", "risk", "status_label", "claimed",
    )
    review_list_filter = ("status", WaitingFilter, "product", ClaimedByFilter)
    review_search_fields = ("code", "=user__mobile", "user__real_name")
    review_actions = (
        "claim_applications", "release_applications", "approve_applications", "reject_applications", "disburse_applications",
    )

    ordering = review.QUEUE_ORDER  # waiting first, oldest first, unless a column is sorted

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "product", "claimed_by").defer("phonebook", "risk_facts")

    # --- columns ------------------------------------------------------------------------------

    @admin.display(description="申请时间", ordering="applied_at")
    def applied(self, loan):
        return timezone.localtime(loan.applied_at).strftime("%m-%d %H:%M")

    @admin.display(description="已等待")
    def waiting(self, loan):
        return review.duration_text(review.waiting_time(loan, timezone.now()))

    @admin.display(description="申请人", ordering="user__real_name")
    def applicant(self, loan):
        return customer_link(loan.user)

    @admin.display(description="金额", ordering="apply_amount")
    def amount(self, loan):
        return f"{loan.apply_amount:,.2f}"

    @admin.display(description="期限")
    def term(self, loan):
        return review.term_text(loan)

    @admin.display(description="风控")
    def risk(self, loan):
        user = loan.user
        flags = [label for on, label in ((user.is_blacklisted, "黑名单"), (user.is_risk, "风险客户")) if on]
        outcome = Outcome.LABELS.get(loan.risk_outcome, "未经规则")
        fired = f" · {len(loan.risk_hits)} 条规则" if loan.risk_hits else ""
        warning = format_html(' <span class="risk-flag">{}</span>', "、".join(flags)) if flags else ""
        return format_html("{}{}{}", outcome, fired, warning)

    @admin.display(description="状态", ordering="status")
    def status_label(self, loan):
        return status_label(loan)

    @admin.display(description="领取人", ordering="claimed_by__username")
    def claimed(self, loan):
        return str(loan.claimed_by) if loan.claimed_by_id else "—"

    # --- actions (CONTRACT §11) ---------------------------------------------------------------

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    def has_disburse_permission(self, request) -> bool:
        return request.user.has_perm(DISBURSE_PERMISSION)

    @staff_action(
        description="领取所选借款（开始审核）", verb="领取", unit="笔", permissions=["review"], fields=["status", "claimed_by"],
        refusals=(lifecycle.LifecycleError,),
    )
    def claim_applications(self, request, loan, form):
        return lifecycle.claim(loan, request.user)

    @staff_action(
        description="释放所选借款（退回队列）", verb="释放", unit="笔", permissions=["review"], fields=["status", "claimed_by"],
        refusals=(lifecycle.LifecycleError,),
    )
    def release_applications(self, request, loan, form):
        return lifecycle.release(loan, request.user)

    @staff_action(
        description="审核通过所选借款", verb="审核通过", unit="笔", permissions=["review"], fields=["status"],
        refusals=(lifecycle.LifecycleError,),
    )
    def approve_applications(self, request, loan, form):
        return lifecycle.approve(loan, request.user)

    @staff_action(
        description="拒绝所选借款", verb="拒绝", unit="笔", permissions=["review"], fields=["status"], form=RejectForm,
        refusals=(lifecycle.LifecycleError,),
    )
    def reject_applications(self, request, loan, form):
        return lifecycle.reject(loan, request.user, form.cleaned_data["note"], reason=form.cleaned_data["reason"])

    @staff_action(
        description="放款（今日）所选借款", verb="放款", unit="笔", permissions=["disburse"], fields=["status"], form=DisburseForm,
        refusals=(lifecycle.LifecycleError,),
    )
    def disburse_applications(self, request, loan, form):
        return lifecycle.disburse(loan, request.user)

    def response_action(self, request, queryset):
        """The review sheet's buttons come back to the sheet once the action has run."""
        response = super().response_action(request, queryset)
        back = request.POST.get("back_to_loan", "")
        if response is not None and response.status_code == 302 and self.model.objects.filter(pk=_uuid_or_none(back)).exists():
            return redirect("admin:loans_loanapplication_change", back)
        return response

    # --- pages --------------------------------------------------------------------------------

    def review_urls(self):
        return [
            path("<uuid:loan_id>/phonebook/", self.admin_site.admin_view(self.phonebook_view), name="loans_loanapplication_phonebook"),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review sheet: the loan, the applicant, credit, history, contacts and phone book,
        device, the risk decision, the status history, and the buttons the user may press."""
        if request.method != "GET" or not self.has_view_permission(request):
            raise PermissionDenied
        loan = review.sheet_loan(_uuid_or_none(object_id))
        if loan is None:
            raise Http404("没有这笔借款")
        sheet = review.review_sheet(loan, timezone.localdate())
        user = request.user
        may_decide = self.has_review_permission(request) and (
            loan.status == Status.PENDING or (loan.status == Status.IN_REVIEW and (loan.claimed_by_id in (None, user.pk) or user.is_superuser))
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": loan,
            "title": f"借款审核：{loan.code}",
            "sheet": sheet,
            "status_label": status_label(loan),
            "purpose": PURPOSE_DATA.get(loan.purpose, loan.purpose and f"其他（{loan.purpose}）") or "未填写",
            "other_channels": OTHER_CHANNELS_DATA.get(loan.other_channels, loan.other_channels and f"其他（{loan.other_channels}）") or "未填写",
            "interest_rate": percent_str(loan.interest_rate),
            "penalty_rate": percent_str(loan.penalty_rate),
            "annualized_cost": percent_str(loan.annualized_cost_rate) if loan.annualized_cost_rate is not None else "—",
            "risk_outcome": Outcome.LABELS.get(loan.risk_outcome, "（申请早于风控规则上线）"),
            "risk_hits": [
                (hit["name"], Outcome.LABELS.get(hit["outcome"], hit["outcome"]), seen_text(hit["seen"], hit["error"]))
                for hit in loan.risk_hits
            ],
            "term": f"{review.term_text(loan)}，{review.repayment_text(loan)}",
            "waiting": review.duration_text(review.waiting_time(loan, timezone.now())),
            "can_claim": self.has_review_permission(request) and loan.status == Status.PENDING,
            "can_release": may_decide and loan.status == Status.IN_REVIEW,
            "can_decide": may_decide,
            "can_disburse": self.has_disburse_permission(request) and loan.status == Status.APPROVED,
            "disbursal_refusal": disbursal_refusal(loan, user) if loan.status == Status.APPROVED else "",
            "reject_form": RejectForm() if may_decide else None,
            "can_open_phonebook": user.has_perm(PHONEBOOK_PERMISSION),
            "disbursements": [(attempt, provider_label(attempt.provider)) for attempt in sheet.disbursements],
        }
        return TemplateResponse(request, "admin/loans/loanapplication/review_sheet.html", context)

    def phonebook_view(self, request, loan_id):
        """The whole phone book with full numbers, marking other customers and who is overdue;
        each opening is a row of the operation log (CONTRACT §11)."""
        if not request.user.has_perm(PHONEBOOK_PERMISSION) or not self.has_view_permission(request):
            raise PermissionDenied
        loan = LoanApplication.objects.filter(pk=loan_id).select_related("user").first()
        if loan is None:
            raise Http404("没有这笔借款")
        customers = review.phonebook_customers(loan)
        entries = []
        for entry in loan.phonebook or ():
            phone = str(entry.get("contactPhone", "")) if isinstance(entry, dict) else ""
            mobile = next(iter(review.phonebook_mobiles([entry])), "")
            known = mobile in customers
            entries.append((entry.get("contactName", "") if isinstance(entry, dict) else "", phone, known, known and customers[mobile]))
        log_staff_action(request.user, f"查看通讯录（{len(entries)} 条）", obj=loan)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": loan,
            "title": f"通讯录：{loan.code}",
            "entries": entries,
            "summary": review.PhonebookSummary(len(entries), len(customers), sum(customers.values())),
        }
        return TemplateResponse(request, "admin/loans/loanapplication/phonebook.html", context)


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# --- the lists beside the queue -------------------------------------------------------------------


@admin.register(RejectReason)
class RejectReasonAdmin(StaffAdminMixin, admin.ModelAdmin):
    """The reasons officers pick from (CONTRACT §11: a list staff extend); switched off, never deleted."""

    list_display = ("name", "is_active", "order")
    search_fields = ("name",)
    ordering = ("order", "id")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every status change of every loan: who (a staff user, the customer or the system), when,
    from → to and the reason; read-only, searchable by loan code, mobile, name and note."""

    list_display = ("changed_at", "application", "applicant", "transition", "who", "note")
    list_filter = ("actor", "to_status", "from_status", ("changed_at", admin.DateFieldListFilter))
    search_fields = ("application__code", "=application__user__mobile", "application__user__real_name", "note", "changed_by__username")
    search_help_text = "输入借款编号、完整手机号、姓名、员工用户名或备注中的文字"
    list_select_related = ("application__user", "changed_by")
    date_hierarchy = "changed_at"
    ordering = ("-changed_at", "-id")

    @admin.display(description="申请人")
    def applicant(self, change):
        return customer_link(change.application.user)

    @admin.display(description="状态变化", ordering="to_status")
    def transition(self, change):
        before = change.get_from_status_display() if change.from_status is not None else "提交申请"
        return f"{before} → {change.get_to_status_display()}"

    @admin.display(description="操作方", ordering="actor")
    def who(self, change):
        return actor_text(change)


def actor_text(change: StatusChange) -> str:
    """``员工 zhangsan`` / ``客户`` / ``系统``: the three kinds of actor (CONTRACT §11)."""
    if change.actor == Actor.STAFF and change.changed_by_id:
        return f"员工 {change.changed_by}"
    return change.get_actor_display()


@admin.register(Disbursement)
class DisbursementAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every payout attempt, the failed ones with the provider's error (the loan stays approved)."""

    list_display = ("requested_at", "application", "amount", "channel", "provider_reference", "succeeded", "error", "requested_by")
    list_filter = ("succeeded",)
    search_fields = ("application__code", "provider_reference")
    list_select_related = ("application", "requested_by")
    ordering = ("-requested_at",)

    @admin.display(description="放款渠道", ordering="provider")
    def channel(self, attempt):
        return provider_label(attempt.provider)

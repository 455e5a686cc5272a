"""Finance's operations in the back office (CONTRACT §15): 线下还款登记, 减免申请, 还款冲正.

Each page lists the proposals, pending first; its 新增 page is finance's form (the loan named by
its 借款编号), which calls the proposing service (it writes the operation log's row); the
decisions are changelist actions (``staff_action``: one log row per decision) allowed only to
those who may decide -- another finance user for an offline repayment or a reversal, 风控 or a
superuser for a waiver -- and the services refuse the proposer. Nothing is edited or deleted.

A proof is served only here, to staff who may read the offline repayments, from its bytes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from cashloan.admin_actions import ConfirmForm, ReasonForm, StaffAdminMixin, staff_action
from cashloan.admin_helpers import customer_link

from . import offline, reversals, waivers
from .finance_models import OfflineRepayment, Reversal, Waiver
from .lifecycle import local_today
from .models import SERVICED_STATUSES, LoanApplication, Repayment
from .proofs import content_type_of
from .selectors import period_figures

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LoanCodeField(forms.CharField):
    """A loan typed by its 借款编号 (disbursed or paid off)."""

    def __init__(self, **kwargs):
        super().__init__(label="借款编号", max_length=32, **kwargs)

    def clean(self, value):
        code = super().clean(value).strip()
        loan = LoanApplication.objects.select_related("user", "product").filter(code=code, status__in=SERVICED_STATUSES).first()
        if loan is None:
            raise ValidationError("没有这笔已放款的借款")
        return loan


class OfflineForm(forms.Form):
    loan = LoanCodeField()
    kind = forms.ChoiceField(label="还款类型", choices=Repayment.Kind.choices)
    period_number = forms.IntegerField(label="期次", min_value=1, required=False, help_text="按期还款时填写所还的一期")
    amount = forms.DecimalField(label="到账金额（元）", max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    received_on = forms.DateField(label="到账日期", widget=DATE_INPUT)
    channel = forms.ChoiceField(label="渠道", choices=OfflineRepayment.Channel.choices)
    reference = forms.CharField(label="流水号 / 凭证号", max_length=100)
    proof = forms.FileField(label="凭证", help_text="JPG、PNG 图片或 PDF，按文件内容检查")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        loan, kind = cleaned.get("loan"), cleaned.get("kind")
        cleaned["period"] = None
        if loan is not None and kind == Repayment.Kind.CURRENT:
            number = cleaned.get("period_number")
            cleaned["period"] = loan.periods.filter(number=number).first() if number else None
            if cleaned["period"] is None:
                self.add_error("period_number", "按期还款须填写本笔借款的一期")
        return cleaned


class WaiverForm(forms.Form):
    loan = LoanCodeField()
    component = forms.ChoiceField(label="减免项目", choices=Waiver.Component.choices)
    amount = forms.DecimalField(label="减免金额（元）", max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    reason = forms.CharField(label="减免原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


class ReversalForm(forms.Form):
    loan = LoanCodeField(help_text="冲正该笔借款最近一笔未冲正的还款")
    reason = forms.CharField(label="冲正原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


class RejectForm(ReasonForm):
    reason = forms.CharField(label="驳回原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


# --- what the form shows of the loan -------------------------------------------------------------


def loan_summary(loan: LoanApplication | None, today: date) -> dict | None:
    """The loan's periods as the app shows them today, what may be waived, and its repayments."""
    if loan is None:
        return None
    periods = list(loan.periods.select_related("application").order_by("number"))
    return {
        "loan": loan,
        "periods": [(period, period_figures(period, today)) for period in periods],
        "waivable": waivers.waivable(loan, today) if loan.status == 4 and not loan.is_written_off else None,
        "repayments": list(loan.repayments.order_by("-posted_at")[:10]),
        "latest": reversals.latest_live_repayment(loan),
    }


def _loan_named(request) -> LoanApplication | None:
    code = (request.POST.get("loan") or request.GET.get("loan") or "").strip()
    if not code or "\x00" in code:  # PostgreSQL refuses a string with NUL
        return None
    return LoanApplication.objects.select_related("user", "product").filter(code=code, status__in=SERVICED_STATUSES).first()


class ProposalAdmin(StaffAdminMixin, admin.ModelAdmin):
    """A list of proposals with a form of its own for 新增, and no editing or deleting."""

    proposal_form: type[forms.Form]
    proposal_title: str
    list_per_page = 50

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposed_by", "decided_by")

    def get_ordering(self, request):
        return ["-proposed_at"]

    def propose(self, request, form) -> object:
        raise NotImplementedError

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {"loan": request.GET.get("loan", ""), "received_on": local_today()}
        form = self.proposal_form(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                proposal = self.propose(request, form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, f"已提交：{proposal}，等待复核", messages.SUCCESS)
                return HttpResponseRedirect(reverse(f"admin:loans_{self.opts.model_name}_changelist"))
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": self.proposal_title, "form": form,
            "summary": loan_summary(_loan_named(request), local_today()), "has_file_field": "proof" in form.fields,
        }
        return TemplateResponse(request, "admin/loans/finance_form.html", context)

    @admin.display(description="借款", ordering="application__code")
    def loan_code(self, obj) -> str:
        return obj.application.code

    @admin.display(description="客户")
    def customer(self, obj):
        return customer_link(obj.application.user)

    @admin.display(description="经办人 / 复核人")
    def people(self, obj) -> str:
        return f"{obj.proposed_by} / {obj.decided_by or '—'}"


@admin.register(OfflineRepayment)
class OfflineRepaymentAdmin(ProposalAdmin):
    proposal_form = OfflineForm
    proposal_title = "登记线下还款"
    list_display = [
        "loan_code", "customer", "period_text", "amount", "received_text", "reference", "status", "proof_link", "people",
    ]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["application__code", "reference"]
    readonly_fields = [
        "application", "kind", "period", "amount", "received_on", "channel", "reference", "proof_link", "note", "status",
        "proposed_by", "proposed_at", "decided_by", "decided_at", "decision_note", "repayment",
    ]
    fields = readonly_fields
    actions = ["confirm_offline_repayments", "reject_offline_repayments"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application__user", "period")

    def propose(self, request, form):
        data = form.cleaned_data
        return offline.record_offline_repayment(
            data["loan"], kind=data["kind"], period=data["period"], amount=data["amount"], received_on=data["received_on"],
            channel=data["channel"], reference=data["reference"], proof=data["proof"], note=data["note"], by=request.user,
        )

    def has_confirm_permission(self, request) -> bool:
        return request.user.has_perm("loans.confirm_offlinerepayment")

    @staff_action(description="入账所选线下还款（复核）", verb="确认入账", unit="笔", permissions=["confirm"], fields=["status"], form=ConfirmForm)
    def confirm_offline_repayments(self, request, record, form):
        return offline.confirm_offline_repayment(record, by=request.user)

    @staff_action(description="驳回所选线下还款", verb="驳回", unit="笔", permissions=["confirm"], fields=["status"], form=RejectForm)
    def reject_offline_repayments(self, request, record, form):
        return offline.reject_offline_repayment(record, by=request.user, reason=form.reason_text())

    @admin.display(description="到账日期", ordering="received_on")
    def received_text(self, record: OfflineRepayment) -> str:
        return record.received_on.isoformat()

    @admin.display(description="还款类型")
    def period_text(self, record: OfflineRepayment) -> str:
        return f"按期还款 第{record.period.number}期" if record.period_id else "一次性还清"

    @admin.display(description="凭证")
    def proof_link(self, record: OfflineRepayment):
        if not record.proof:
            return "—"
        url = reverse("admin:loans_offlinerepayment_proof", args=[record.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">查看凭证</a>', url)

    def get_urls(self):
        proof = path("<uuid:object_id>/proof/", self.admin_site.admin_view(self.proof_view), name="loans_offlinerepayment_proof")
        return [proof, *super().get_urls()]

    def proof_view(self, request, object_id):
        """The proof's bytes, to staff who may read offline repayments; the type from the bytes."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        record = OfflineRepayment.objects.filter(pk=object_id).first()
        if record is None or not record.proof:
            raise Http404("没有这份凭证")
        content_type = content_type_of(record.proof)
        response = FileResponse(record.proof.open("rb"), content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{record.proof.name.rsplit("/", 1)[-1]}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(Waiver)
class WaiverAdmin(ProposalAdmin):
    proposal_form = WaiverForm
    proposal_title = "申请减免"
    list_display = ["loan_code", "customer", "component", "amount", "reason", "status", "people"]
    list_filter = ["status", "component"]
    search_fields = ["application__code", "reason"]
    readonly_fields = [
        "application", "component", "amount", "reason", "status", "proposed_by", "proposed_at", "decided_by", "decided_at",
        "decision_note", "effective_date",
    ]
    fields = readonly_fields
    actions = ["approve_waivers", "reject_waivers"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application__user")

    def propose(self, request, form):
        data = form.cleaned_data
        return waivers.propose_waiver(data["loan"], component=data["component"], amount=data["amount"], reason=data["reason"], by=request.user)

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm("loans.approve_waiver")

    @staff_action(description="批准所选减免", verb="批准减免", unit="笔", permissions=["approve"], fields=["status"], form=ConfirmForm)
    def approve_waivers(self, request, waiver, form):
        return waivers.approve_waiver(waiver, by=request.user)

    @staff_action(description="驳回所选减免", verb="驳回", unit="笔", permissions=["approve"], fields=["status"], form=RejectForm)
    def reject_waivers(self, request, waiver, form):
        return waivers.reject_waiver(waiver, by=request.user, reason=form.reason_text())


@admin.register(Reversal)
class ReversalAdmin(ProposalAdmin):
    proposal_form = ReversalForm
    proposal_title = "申请还款冲正"
    list_display = ["loan_code", "customer", "repayment_text", "reason", "status", "people"]
    list_filter = ["status"]
    search_fields = ["repayment__application__code", "reason"]
    readonly_fields = [
        "repayment", "reason", "status", "proposed_by", "proposed_at", "decided_by", "decided_at", "decision_note",
        "effective_date", "restored_periods",
    ]
    fields = readonly_fields
    actions = ["approve_reversals", "reject_reversals"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("repayment__application__user")

    def propose(self, request, form):
        loan = form.cleaned_data["loan"]
        repayment = reversals.latest_live_repayment(loan)
        if repayment is None:
            raise ValidationError("该笔借款没有可冲正的还款")
        return reversals.propose_reversal(repayment, reason=form.cleaned_data["reason"], by=request.user)

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm("loans.approve_reversal")

    @staff_action(description="批准所选冲正", verb="批准冲正", unit="笔", permissions=["approve"], fields=["status"], form=ConfirmForm)
    def approve_reversals(self, request, reversal, form):
        return reversals.approve_reversal(reversal, by=request.user)

    @staff_action(description="驳回所选冲正", verb="驳回", unit="笔", permissions=["approve"], fields=["status"], form=RejectForm)
    def reject_reversals(self, request, reversal, form):
        return reversals.reject_reversal(reversal, by=request.user, reason=form.reason_text())

    @admin.display(description="借款", ordering="repayment__application__code")
    def loan_code(self, reversal: Reversal) -> str:
        return reversal.repayment.application.code

    @admin.display(description="客户")
    def customer(self, reversal: Reversal):
        return customer_link(reversal.repayment.application.user)

    @admin.display(description="还款")
    def repayment_text(self, reversal: Reversal) -> str:
        repayment = reversal.repayment
        return f"{repayment.posted_at:%Y-%m-%d} {repayment.get_kind_display()} {repayment.amount} 元"

    @admin.display(description="恢复为未还的期次")
    def restored_periods(self, reversal: Reversal) -> str:
        return "、".join(f"第{number}期" for number in reversal.period_numbers) or "—"

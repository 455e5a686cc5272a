"""The books in the back office, for finance (group 财务): read-only.

* 会计分录（日记账）: the journal, searchable by loan code and event key, filtered by kind and
  business date, each entry with its lines; exported (CSV or Excel) as the filters stand.
* 试算平衡表: every account's opening balance, debits, credits and closing balance for a range.
* 借款分户账: every line of one loan with the running balance of its account.
* 对账记录: the results of ``manage.py reconcile``.

Exports need ``ledger.export_journalentry`` and each is a row of the operation log.
"""

from datetime import date

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from cashloan.admin_actions import StaffAdminMixin
from cashloan.admin_helpers import ReadOnlyAdminMixin
from cashloan.exports import FORMATS, export_response
from cashloan.oplog import log_staff_action

from . import selectors
from .accounts import Account, EntryKind
from .models import JournalEntry, JournalLine, LoanStatement, Reconciliation, TrialBalance
from .rules import money_text

EXPORT_PERMISSION = "ledger.export_journalentry"


def _yuan(cents: int) -> str:
    return money_text(cents) if cents else ""


def _export(request, fmt: str, what: str, filename: str, header, rows):
    """Check the permission, log the export, stream the file."""
    if fmt not in FORMATS:
        raise Http404
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    log_staff_action(request.user, f"导出{what}（{fmt.upper()}）", model=JournalEntry)
    return export_response(fmt, filename, header, rows)


class JournalLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = JournalLine
    fields = ("account", "account_name", "debit", "credit")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        """Lines are part of their entry: whoever reads the journal reads them."""
        return request.user.has_perm("ledger.view_journalentry")

    @admin.display(description="科目名称")
    def account_name(self, line):
        return Account(line.account).label

    @admin.display(description="借方")
    def debit(self, line):
        return _yuan(max(line.amount, 0))

    @admin.display(description="贷方")
    def credit(self, line):
        return _yuan(max(-line.amount, 0))


JOURNAL_HEADER = ["业务日期", "记账时间", "类型", "借款编号", "事件键", "科目", "科目名称", "借方", "贷方", "操作方", "摘要"]


@admin.register(JournalEntry)
class JournalEntryAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("effective_date", "posted_at", "kind", "loan_code", "event_key", "actor_text", "amount_text")
    list_filter = ("kind", "effective_date")
    search_fields = ("loan__code", "event_key")
    date_hierarchy = "effective_date"
    list_select_related = ("loan", "actor_user")
    fields = ("event_key", "kind", "loan_code", "effective_date", "posted_at", "actor_text", "memo", "reverses")
    readonly_fields = fields
    inlines = (JournalLineInline,)
    change_list_template = "admin/ledger/journalentry/change_list.html"
    show_full_result_count = False

    @admin.display(description="借款编号", ordering="loan__code")
    def loan_code(self, entry):
        return entry.loan.code

    @admin.display(description="操作方")
    def actor_text(self, entry):
        return entry.actor

    @admin.display(description="金额（借方合计）")
    def amount_text(self, entry):
        return money_text(sum(line.amount for line in entry.lines.all() if line.amount > 0))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines")

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/<str:fmt>/", export, name="ledger_journalentry_export"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_export": request.user.has_perm(EXPORT_PERMISSION)}
        return super().changelist_view(request, extra_context)

    def export_view(self, request, fmt: str):
        """The lines of the entries the changelist shows with the same filters and search."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        entries = self.get_changelist_instance(request).get_queryset(request)
        rows = (
            [
                line.entry.effective_date, timezone.localtime(line.entry.posted_at).strftime("%Y-%m-%d %H:%M:%S"),
                EntryKind(line.entry.kind).label, line.entry.loan.code, line.entry.event_key, line.account,
                Account(line.account).label, _yuan(max(line.amount, 0)), _yuan(max(-line.amount, 0)), line.entry.actor,
                line.entry.memo,
            ]
            for line in selectors.journal_lines(entries).iterator(chunk_size=2000)
        )
        return _export(request, fmt, "会计分录", f"会计分录-{timezone.localdate().isoformat()}", JOURNAL_HEADER, rows)


class DateRangeForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise forms.ValidationError("开始日期不能晚于结束日期")
        return cleaned


class PageAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """A report page in the books' menu: the changelist is the page."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [path("", self.admin_site.admin_view(self.changelist_view), name="%s_%s_changelist" % info)]

    def page(self, request, template: str, context: dict):
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": self.opts.verbose_name,
            "can_export": request.user.has_perm(EXPORT_PERMISSION), **context,
        }
        return TemplateResponse(request, template, context)


TRIAL_BALANCE_HEADER = ["科目代码", "科目名称", "期初余额", "本期借方", "本期贷方", "期末余额"]


@admin.register(TrialBalance)
class TrialBalanceAdmin(PageAdmin):
    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        form = DateRangeForm(request.GET or {"start": today.replace(day=1), "end": today})
        rows, totals = [], None
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            rows = selectors.trial_balance(start, end)
            if request.GET.get("format"):
                return _export(
                    request, request.GET["format"], f"试算平衡表 {start} 至 {end}", f"试算平衡表-{start}-{end}",
                    TRIAL_BALANCE_HEADER,
                    ([r.account, r.name, money_text(r.opening), money_text(r.debits), money_text(r.credits), money_text(r.closing)] for r in rows),
                )
            totals = {"debits": sum(r.debits for r in rows), "credits": sum(r.credits for r in rows)}
        return self.page(request, "admin/ledger/trial_balance.html", {"form": form, "rows": rows, "totals": totals})


STATEMENT_HEADER = ["业务日期", "记账时间", "类型", "事件键", "科目", "科目名称", "借方", "贷方", "科目余额"]


class LoanCodeForm(forms.Form):
    loan = forms.CharField(label="借款编号", max_length=32)


@admin.register(LoanStatement)
class LoanStatementAdmin(PageAdmin):
    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = LoanCodeForm(request.GET or None)
        loan, lines, balances = None, [], None
        if form.is_valid():
            code = form.cleaned_data["loan"].strip()
            loan = JournalEntry._meta.get_field("loan").related_model.objects.filter(code=code).first()
            if loan is None:
                form.add_error("loan", "没有这个借款编号")
            else:
                if request.GET.get("format"):
                    return _export(
                        request, request.GET["format"], f"借款分户账 {code}", f"借款分户账-{code}", STATEMENT_HEADER,
                        (self._row(line) for line in selectors.loan_statement(loan.pk)),
                    )
                lines = [self._row(line) for line in selectors.loan_statement(loan.pk)]
                balances = [
                    (account, Account(account).label, money_text(amount))
                    for account, amount in selectors.loan_balances(loan.pk, date.max).items()
                ]
        return self.page(request, "admin/ledger/loan_statement.html", {"form": form, "loan": loan, "lines": lines, "balances": balances})

    @staticmethod
    def _row(line) -> list:
        return [
            line.effective_date, timezone.localtime(line.posted_at).strftime("%Y-%m-%d %H:%M:%S"), EntryKind(line.kind).label,
            line.event_key, line.account, Account(line.account).label, _yuan(line.debit), _yuan(line.credit), money_text(line.running),
        ]


@admin.register(Reconciliation)
class ReconciliationAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("as_of", "ran_at", "loans_checked", "result")
    list_filter = ("as_of",)
    date_hierarchy = "as_of"
    fields = ("as_of", "ran_at", "loans_checked", "difference_count", "difference_list")
    readonly_fields = fields

    @admin.display(description="结果")
    def result(self, run):
        if run.ok:
            return format_html('<span style="color:#2e7d32">{}</span>', "账实相符")
        return format_html('<strong style="color:#c62828">{} 处差异</strong>', run.difference_count)

    @admin.display(description="差异明细")
    def difference_list(self, run):
        return format_html_join(
            "", "<div>{} {}：账簿 {}，应为 {} {}</div>",
            ((d.get("loan") or "", d.get("account") or "", d["books"], d["expected"], d.get("note", "")) for d in run.differences),
        ) or "—"

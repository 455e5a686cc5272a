"""Back-office pages of the risk decisions (CONTRACT §12), under the applications' admin:

* the dry run (试运行): a draft rule set over the last N applications; the rules' changelist
  sends the selected rules here (``?rules=3,5,8``);
* the figures (风控决策统计): applications by outcome for a date range, and the rules that fired
  most.

Both only read. The rules' own admin (``risk.admin``) links here by URL name.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from risk.kinds import Outcome, kind_label, seen_text
from risk.models import RiskRule
from risk.permissions import DRY_RUN_PERMISSION

from .decisions import decision_figures, dry_run

FIGURES_PERMISSION = "loans.view_loanapplication"
OUTCOME_LABELS = {**Outcome.LABELS, "": "规则上线前（未经规则）"}


class DryRunForm(forms.Form):
    rules = forms.CharField(label="规则编号", help_text="逗号分隔；在风控规则列表中勾选后“试运行”会自动填入", max_length=1000)
    last = forms.IntegerField(label="最近申请笔数", min_value=1, max_value=1000, initial=100)

    def clean_rules(self) -> list[RiskRule]:
        try:
            ids = sorted({int(item) for item in self.cleaned_data["rules"].replace("，", ",").split(",") if item.strip()})
        except ValueError:
            raise forms.ValidationError("规则编号须为数字，用逗号分隔") from None
        rules = list(RiskRule.objects.filter(pk__in=ids).order_by("order", "id"))
        missing = sorted(set(ids) - {rule.pk for rule in rules})
        if missing:
            raise forms.ValidationError(f"没有这些规则：{', '.join(map(str, missing))}")
        if not rules:
            raise forms.ValidationError("至少选择一条规则")
        return rules


def dry_run_view(model_admin, request):
    if not request.user.has_perm(DRY_RUN_PERMISSION):
        raise PermissionDenied
    form = DryRunForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        rules = form.cleaned_data["rules"]
        result = dry_run([rule.spec() for rule in rules], form.cleaned_data["last"])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "试运行风控规则",
        "form": form,
        "result": result,
        "counts": _counts(result) if result else [],
        "changed": [_changed_row(change) for change in result.changed] if result else [],
    }
    return TemplateResponse(request, "admin/loans/risk_dry_run.html", context)


def _counts(result) -> list[tuple[str, int]]:
    return [(OUTCOME_LABELS[outcome], result.counts.get(outcome, 0)) for outcome in (Outcome.APPROVE, Outcome.REVIEW, Outcome.REJECT)]


def _changed_row(change) -> dict:
    return {
        "code": change.code,
        "applied_at": change.applied_at,
        "before": OUTCOME_LABELS[change.before],
        "after": OUTCOME_LABELS[change.after],
        "hits": [f"{hit.name}（{seen_text(hit.seen, hit.error)}）" for hit in change.hits],
    }


class FiguresForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise forms.ValidationError("开始日期不能晚于结束日期")
        return cleaned


def figures_view(model_admin, request):
    if not request.user.has_perm(FIGURES_PERMISSION):
        raise PermissionDenied
    today = timezone.localdate()
    form = FiguresForm(request.GET or {"start": today - timedelta(days=29), "end": today})
    figures = decision_figures(form.cleaned_data["start"], form.cleaned_data["end"]) if form.is_valid() else None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "风控决策统计",
        "form": form,
        "figures": figures,
        "outcomes": [(OUTCOME_LABELS[key], figures.by_outcome.get(key, 0)) for key in (Outcome.APPROVE, Outcome.REVIEW, Outcome.REJECT, "")]
        if figures
        else [],
        "top_rules": [(name, kind_label(kind), count) for name, kind, count in figures.top_rules] if figures else [],
    }
    return TemplateResponse(request, "admin/loans/risk_figures.html", context)

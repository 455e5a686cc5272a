"""Risk rules in the back office (风控): choose a kind, then fill in only its parameters.

Adding a rule is two steps: the kind (a page listing every kind with its explanation), then
the form of that kind (``?kind=age_range``). A rule's kind never changes; its parameters,
outcome, order and whether it is enabled do, each change with a reason, through
:func:`risk.services.save_rule` (which writes the operation log). Rules are never deleted:
the decisions stored on applications name them.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from cashloan.admin_actions import StaffAdminMixin

from . import services
from .forms import rule_form_for
from .kinds import REGISTRY, kind_of
from .models import RiskRule
from .permissions import DRY_RUN_PERMISSION


@admin.register(RiskRule)
class RiskRuleAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind_name", "params_summary", "outcome", "enabled", "order", "changed_by", "changed_at", "change_reason"]
    list_filter = ["enabled", "outcome", "kind"]
    search_fields = ["name"]
    ordering = ["order", "id"]
    list_select_related = ["changed_by"]
    readonly_fields = ["kind_name", "changed_by", "changed_at", "change_reason"]
    actions = ["dry_run_rules"]

    @admin.action(description="试运行所选规则（作为一组草稿规则）", permissions=["dry_run"])
    def dry_run_rules(self, request, queryset):
        """The dry run is a read of the applications (``loans.decision_admin``): go there."""
        ids = ",".join(str(pk) for pk in queryset.order_by("order", "id").values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('admin:loans_risk_dry_run')}?rules={ids}&last=100")

    def has_dry_run_permission(self, request) -> bool:
        return request.user.has_perm(DRY_RUN_PERMISSION)

    @admin.display(description="规则类型", ordering="kind")
    def kind_name(self, rule: RiskRule) -> str:
        return rule.kind_label

    @admin.display(description="参数")
    def params_summary(self, rule: RiskRule) -> str:
        try:
            return kind_of(rule.kind).summary(rule.params)
        except (LookupError, KeyError, TypeError, AttributeError):
            return str(rule.params)

    # --- the form of one kind ----------------------------------------------------------------

    def _kind(self, request, obj):
        if obj is not None:
            return kind_of(obj.kind)
        code = request.POST.get("kind") or request.GET.get("kind")
        return REGISTRY.get(code or "")

    def get_form(self, request, obj=None, change=False, **kwargs):
        return rule_form_for(self._kind(request, obj))

    def get_fieldsets(self, request, obj=None):
        kind = self._kind(request, obj)
        params = [f"param_{param.name}" for param in kind.params]
        fieldsets = [
            (f"规则类型：{kind.label}", {"fields": ["name"], "description": kind.description}),
            ("参数", {"fields": params}),
            ("触发后", {"fields": ["outcome", "enabled", "order"]}),
            ("修改原因", {"fields": ["reason"]}),
        ]
        if obj is not None:
            fieldsets.append(("最近修改", {"fields": ["changed_by", "changed_at", "change_reason"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ["changed_by", "changed_at", "change_reason"] if obj is not None else []

    def add_view(self, request, form_url="", extra_context=None):
        kind = self._kind(request, None)
        if kind is None:
            return self._choose_kind(request)
        extra_context = {**(extra_context or {}), "kind_code": kind.code}
        return super().add_view(request, form_url, extra_context)

    def _choose_kind(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "新增风控规则：选择规则类型",
            "kinds": [
                {"code": code, "label": kind.label, "description": kind.description, "params": [p.label for p in kind.params]}
                for code, kind in REGISTRY.items()
            ],
        }
        return TemplateResponse(request, "admin/risk/riskrule/choose_kind.html", context)

    def save_model(self, request, obj, form, change):
        current = RiskRule.objects.get(pk=obj.pk) if change else None
        saved = services.save_rule(current, by=request.user, reason=form.cleaned_data["reason"], **form.rule_values())
        obj.pk, obj.changed_at, obj.changed_by, obj.change_reason = saved.pk, saved.changed_at, saved.changed_by, saved.change_reason

    # save_rule writes the operation log with the reason: the admin's own entries would repeat it.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def has_delete_permission(self, request, obj=None):
        return False
from .blacklist_admin import BlacklistEntryAdmin, BlacklistHitAdmin  # noqa: E402,F401  (registers the pages)

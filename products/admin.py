"""The product catalogue in the back office (zh-hans).

``ProductForm.clean`` validates the product as a whole with ``products.rules.product_errors``:
ordered ranges, parseable lists, the fields each limit type needs, defaults inside their
limits, known units and repayment types, and every offered combination quotable. A product
that passes is then assessed by the checks other apps register (``products.checks``: the
worst annualised cost and ``ANNUAL_COST_CAP``, CONTRACT §12), whose figures are recorded.

Only superusers change the catalogue (CONTRACT §11); other staff may at most view it. Whether a
product is on sale changes only through the two actions, each with a reason in the operation
log: the form shows it read-only, and a new product is saved off sale.
"""

import copy

from django import forms
from django.contrib import admin

from cashloan.admin_actions import ReasonForm, StaffAdminMixin, staff_action
from cashloan.money import money_str, percent_str

from . import checks, rules, services
from .models import LimitType, Product
from .terms import IntervalUnit, RepayType, TermUnit


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = "__all__"
        help_texts = {
            "single_amounts": "例如：500, 1000, 2000",
            "interest_rates": "年化利率，小数表示，例如：0.36 表示 36%",
            "single_days": "例如：7, 14",
            "single_months": "例如：3, 6, 12",
            "term_units": f"{TermUnit.legend(' ', '，')}；例如：1,2",
            "repay_types": f"{RepayType.legend(' ', '，')}；例如：1,3",
            "repay_term_units": f"{IntervalUnit.legend(' ', '，')}；例如：2,3",
            "repay_term_counts": "例如：1；留空表示不限",
            "service_fee_rate": "放款时从借款金额中扣除，例如：0.01 表示 1%",
            "penalty_rate": "逾期未还本金的罚息年利率，例如：0.54",
        }

    def clean(self):
        cleaned = super().clean()
        if self._errors:  # field-level errors first; the whole-product rules need clean values
            return cleaned
        candidate = copy.copy(self.instance)
        for name, value in cleaned.items():
            setattr(candidate, name, value)
        problems = rules.product_errors(candidate)
        for field, field_problems in problems.items():
            target = field if field in self.fields else None
            for problem in field_problems:
                self.add_error(target, problem)
        if not problems:
            assessment = checks.assess(candidate, rules.limits_of(candidate))
            for error in assessment.errors:
                self.add_error(None, error)
            for name, value in assessment.figures.items():
                setattr(self.instance, name, value)
        return cleaned


@admin.register(Product)
class ProductAdmin(StaffAdminMixin, admin.ModelAdmin):
    form = ProductForm
    list_display = [
        "name", "code", "on_sale", "display_order", "amount_limits", "term_limits", "rate_limits", "repay_type_names", "worst_cost", "updated_at",
    ]
    list_filter = ["on_sale"]
    search_fields = ["name", "code"]
    ordering = ["display_order", "created_at"]
    actions = ["put_on_sale", "take_off_sale"]
    readonly_fields = ["on_sale", "created_at", "updated_at", "worst_cost_with_terms"]
    fieldsets = [
        ("基本信息", {"fields": ["name", "code", "detail_description", "third_service_code", "on_sale", "display_order"]}),
        ("借款金额", {"fields": ["amount_limit_type", "single_min_amount", "single_max_amount", "single_amounts", "single_default_amount"]}),
        ("年化利率", {"fields": ["interest_rate_limit_type", "min_interest_rate", "max_interest_rate", "interest_rates", "default_interest_rate"]}),
        (
            "借款期限",
            {
                "fields": [
                    "term_units",
                    "days_limit_type", "single_min_days", "single_max_days", "single_days", "single_default_days",
                    "months_limit_type", "single_min_months", "single_max_months", "single_months", "single_default_months",
                ]
            },
        ),
        ("还款方式", {"fields": ["repay_types", "repay_term_units", "repay_term_counts", "default_repay_term_count", "default_repay_term_unit"]}),
        ("费用与罚息", {"fields": ["service_fee_rate", "period_fee", "penalty_rate"]}),
        ("年化综合成本", {"fields": ["worst_cost_with_terms"], "description": "所有允许的借款条件中最高的年化综合成本（保存时计算）"}),
        ("时间", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="最高年化综合成本", ordering="worst_annual_cost")
    def worst_cost(self, product: Product) -> str:
        return percent_str(product.worst_annual_cost) or "—"

    @admin.display(description="最高年化综合成本")
    def worst_cost_with_terms(self, product: Product) -> str:
        return product.worst_cost_terms or "保存后计算"

    @admin.display(description="借款金额")
    def amount_limits(self, product: Product) -> str:
        if product.amount_limit_type == LimitType.RANGE:
            return f"{money_str(product.single_min_amount)} – {money_str(product.single_max_amount)}"
        return product.single_amounts

    @admin.display(description="借款期限")
    def term_limits(self, product: Product) -> str:
        parts = []
        units = set(rules.split_list(product.term_units)) if _parses(product.term_units) else set()
        if units & {"1", "01"}:
            days = product.single_days if product.days_limit_type == LimitType.FIXED else f"{product.single_min_days}–{product.single_max_days}"
            parts.append(f"{days} 天")
        if units & {"2", "02"}:
            months = product.single_months if product.months_limit_type == LimitType.FIXED else f"{product.single_min_months}–{product.single_max_months}"
            parts.append(f"{months} 个月")
        return "；".join(parts)

    @admin.display(description="年化利率")
    def rate_limits(self, product: Product) -> str:
        if product.interest_rate_limit_type == LimitType.RANGE:
            return f"{percent_str(product.min_interest_rate)} – {percent_str(product.max_interest_rate)}"
        return _rates_text(product.interest_rates)

    @admin.display(description="还款方式")
    def repay_type_names(self, product: Product) -> str:
        if not _parses(product.repay_types):
            return product.repay_types
        return "、".join(rules.REPAY_TYPE_DATA.get(str(int(code)), code) for code in rules.split_list(product.repay_types))

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_catalogue_permission(self, request) -> bool:
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if not change:
            obj.on_sale = False  # on sale only through the action, with a reason
        super().save_model(request, obj, form, change)

    @staff_action(
        description="上架所选产品", verb="上架", unit="个产品", permissions=["catalogue"], fields=["on_sale"], form=ReasonForm,
    )
    def put_on_sale(self, request, product, form):
        return services.set_on_sale(product, True)

    @staff_action(
        description="下架所选产品", verb="下架", unit="个产品", permissions=["catalogue"], fields=["on_sale"], form=ReasonForm,
    )
    def take_off_sale(self, request, product, form):
        return services.set_on_sale(product, False)


def _rates_text(text: str) -> str:
    """``"0.24,0.36"`` → ``"24%、36%"`` (a list that does not parse is shown as it is)."""
    try:
        return "、".join(percent_str(rate) for rate in rules.parse_rates(text))
    except rules.RuleError:
        return text


def _parses(text: str) -> bool:
    try:
        rules.parse_counts(text)
    except rules.RuleError:
        return False
    return True

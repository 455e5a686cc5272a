import uuid

from django.db import models

from cashloan.models import MoneyField, RateField

from .terms import IntervalUnit, TermUnit


class LimitType(models.IntegerChoices):
    RANGE = 0, "区间"
    FIXED = 1, "固定值"


class Product(models.Model):
    """A loan product: every field of seed §21 plus fees, penalty rate and sale state.

    Comma-separated lists (``single_amounts``, ``term_units``...) are kept as the seed writes
    them; ``products.rules`` parses them into the limits the quote checks.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField("产品名称", max_length=64)
    code = models.CharField("产品代码", max_length=32, unique=True)
    detail_description = models.TextField("详细描述（多条用;分隔）", blank=True)
    third_service_code = models.CharField("第三方服务代码（多个用,分隔）", max_length=200, blank=True)

    amount_limit_type = models.IntegerField("金额限制类型", choices=LimitType.choices, default=LimitType.RANGE)
    single_min_amount = MoneyField("单笔最小金额", null=True, blank=True)
    single_max_amount = MoneyField("单笔最大金额", null=True, blank=True)
    single_amounts = models.CharField("固定金额（多个用,分隔）", max_length=200, blank=True)
    single_default_amount = MoneyField("默认金额")

    interest_rate_limit_type = models.IntegerField("利率限制类型", choices=LimitType.choices, default=LimitType.FIXED)
    min_interest_rate = RateField("年化利率下限", null=True, blank=True)
    max_interest_rate = RateField("年化利率上限", null=True, blank=True)
    interest_rates = models.CharField("固定年化利率（多个用,分隔）", max_length=200, blank=True)
    default_interest_rate = RateField("默认年化利率")

    term_units = models.CharField(f"借贷期限单位（{TermUnit.legend(' ')}，多个用,分隔）", max_length=10, default="1")
    days_limit_type = models.IntegerField("天数限制类型", choices=LimitType.choices, default=LimitType.FIXED)
    single_min_days = models.PositiveIntegerField("最小天数", null=True, blank=True)
    single_max_days = models.PositiveIntegerField("最大天数", null=True, blank=True)
    single_days = models.CharField("固定天数（多个用,分隔）", max_length=200, blank=True)
    single_default_days = models.PositiveIntegerField("默认天数", null=True, blank=True)
    months_limit_type = models.IntegerField("月数限制类型", choices=LimitType.choices, default=LimitType.FIXED)
    single_min_months = models.PositiveIntegerField("最小月数", null=True, blank=True)
    single_max_months = models.PositiveIntegerField("最大月数", null=True, blank=True)
    single_months = models.CharField("固定月数（多个用,分隔）", max_length=200, blank=True)
    single_default_months = models.PositiveIntegerField("默认月数", null=True, blank=True)

    repay_types = models.CharField("还款方式（1-4，多个用,分隔）", max_length=20, default="1")
    repay_term_units = models.CharField(f"还款间隔单位（{IntervalUnit.legend(' ')}，多个用,分隔）", max_length=20, default="1,2")
    repay_term_counts = models.CharField("允许的还款间隔（多个用,分隔，空为不限）", max_length=100, blank=True)
    default_repay_term_count = models.PositiveIntegerField("默认还款间隔", default=1)
    default_repay_term_unit = models.PositiveSmallIntegerField("默认还款间隔单位", default=1)

    service_fee_rate = RateField("服务费率（放款时扣除）", default=0)
    period_fee = MoneyField("每期费用", default=0)
    penalty_rate = RateField("罚息年利率", default=0)

    # Recorded by the admin's checks (``products.checks``; the figure is loans' CONTRACT §12
    # annualised cost): the highest over the product's combinations, and which one it is.
    worst_annual_cost = RateField("最高年化综合成本", null=True, blank=True, editable=False)
    worst_cost_terms = models.CharField("最高年化综合成本的借款条件", max_length=300, blank=True, editable=False)

    on_sale = models.BooleanField("在售", default=True)
    display_order = models.IntegerField("排序", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "贷款产品"
        verbose_name_plural = "贷款产品"
        ordering = ["display_order", "created_at"]

    def __str__(self) -> str:
        return self.name

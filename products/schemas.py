"""The catalogue's ``resultSet`` (seed §20, §21): each serializer describes one shape for the
OpenAPI description, and the function below it builds that shape (``products.selectors``
caches what they build).

Every value is a string, "" when the product leaves it unset; comma lists are written as
``"7,14"`` (amounts with two decimals, rates with four).
"""

from rest_framework import serializers

from cashloan.api.schema import choice, digits, money, rate, text, uuid_text
from cashloan.money import money_str, rate_str

from . import rules
from .models import Product
from .terms import TermUnit

LIMIT_TYPE = "0：区间 1：固定值"


def _text(value) -> str:
    return "" if value is None else str(value)


def _normalised_list(text: str, parse, render) -> str:
    """``"7, 14"`` → ``"7,14"``; amounts ``"500.00"``; rates ``"0.3600"``. Unparseable: as stored."""
    try:
        return ",".join(render(value) for value in parse(text))
    except rules.RuleError:
        return text


def _amounts(text: str) -> str:
    return _normalised_list(text, rules.parse_amounts, money_str)


def _rates(text: str) -> str:
    return _normalised_list(text, rules.parse_rates, rate_str)


def _counts(text: str) -> str:
    return _normalised_list(text, rules.parse_counts, str)


def _dictionary(help_text: str) -> serializers.DictField:
    return serializers.DictField(child=serializers.CharField(), help_text=help_text)


class ProductSummaryResult(serializers.Serializer):
    """§20: one product on sale."""

    id = uuid_text("产品 ID")
    name = text("产品名称")
    amountLimitType = choice([0, 1], f"申请金额限制类型 {LIMIT_TYPE}")
    singleMinAmount = money("单笔最小金额（区间时有值）", optional=True)
    singleMaxAmount = money("单笔最大金额（区间时有值）", optional=True)
    singleAmounts = text("单笔固定金额，多个用,分隔（固定值时有值）")
    termUnit = text(f"借贷期限单位，多个用,分隔 {TermUnit.legend()}")
    daysLimitType = choice([0, 1], f"单笔天数限制类型 {LIMIT_TYPE}")
    singleMinDays = digits("单笔最小天数", optional=True)
    singleMaxDays = digits("单笔最大天数", optional=True)
    singleDays = text("单笔固定天数，多个用,分隔")
    monthsLimitType = choice([0, 1], f"单笔月数限制类型 {LIMIT_TYPE}")
    singleMinMonths = digits("单笔最小月数", optional=True)
    singleMaxMonths = digits("单笔最大月数", optional=True)
    singleMonths = text("单笔固定月数，多个用,分隔")


def product_summary(product: Product) -> dict:
    """Seed §20's fields, every value a string ("" when not set)."""
    return {
        "id": str(product.id),
        "name": product.name,
        "amountLimitType": str(product.amount_limit_type),
        "singleMinAmount": money_str(product.single_min_amount),
        "singleMaxAmount": money_str(product.single_max_amount),
        "singleAmounts": _amounts(product.single_amounts),
        "termUnit": _counts(product.term_units),
        "daysLimitType": str(product.days_limit_type),
        "singleMinDays": _text(product.single_min_days),
        "singleMaxDays": _text(product.single_max_days),
        "singleDays": _counts(product.single_days),
        "monthsLimitType": str(product.months_limit_type),
        "singleMinMonths": _text(product.single_min_months),
        "singleMaxMonths": _text(product.single_max_months),
        "singleMonths": _counts(product.single_months),
    }



class ProductDetailResult(ProductSummaryResult):
    """§21: the §20 fields, the defaults and limits a quote needs, the fees and the dictionaries."""

    detailDescription = text("产品详细描述，多条描述用;分隔")
    thirdServiceCode = text("第三方服务代码，多个用,分隔")
    singleDefaultAmount = money("单笔默认金额")
    interestRateLimitType = choice([0, 1], f"年化利率限制类型 {LIMIT_TYPE}")
    minInterestRate = rate("借贷利率区间下限", optional=True)
    maxInterestRate = rate("借贷利率区间上限", optional=True)
    interestRates = text("固定年化利率，多个用,分隔")
    defaultInterestRate = rate("默认年化利率")
    singleDefaultDays = digits("单笔默认天数", optional=True)
    singleDefaultMonths = digits("单笔默认月数", optional=True)
    repayType = text("还款方式，多个用,分隔（见 repayTypeData）")
    defaultRepayTermCount = digits("默认还款间隔")
    defaultRepayTermUnit = digits("默认还款间隔单位")
    repayTermUnit = text("还款间隔单位，多个用,分隔（见 repayTermUnitData）")
    repayTermCounts = text("允许的还款间隔，多个用,分隔，空为不限")
    serviceFeeRate = rate("服务费率（放款时从借款金额中扣除）")
    periodFee = money("每期费用")
    penaltyRate = rate("罚息年利率")
    termUnitData = _dictionary("借贷期限单位字典")
    repayTermUnitData = _dictionary("还款间隔单位字典")
    repayTypeData = _dictionary("还款方式字典")
    purposeData = _dictionary("借款用途字典")
    otherChannelsData = _dictionary("其他渠道借款信息字典")


def product_detail(product: Product) -> dict:
    """Seed §21's fields and dictionaries, plus the fees and penalty rate (CONTRACT §8)."""
    return {
        **product_summary(product),
        "detailDescription": product.detail_description,
        "thirdServiceCode": product.third_service_code,
        "singleDefaultAmount": money_str(product.single_default_amount),
        "interestRateLimitType": str(product.interest_rate_limit_type),
        "minInterestRate": rate_str(product.min_interest_rate),
        "maxInterestRate": rate_str(product.max_interest_rate),
        "interestRates": _rates(product.interest_rates),
        "defaultInterestRate": rate_str(product.default_interest_rate),
        "singleDefaultDays": _text(product.single_default_days),
        "singleDefaultMonths": _text(product.single_default_months),
        "repayType": _counts(product.repay_types),
        "defaultRepayTermCount": _text(product.default_repay_term_count),
        "defaultRepayTermUnit": _text(product.default_repay_term_unit),
        "repayTermUnit": _counts(product.repay_term_units),
        "repayTermCounts": _counts(product.repay_term_counts),
        "serviceFeeRate": rate_str(product.service_fee_rate),
        "periodFee": money_str(product.period_fee),
        "penaltyRate": rate_str(product.penalty_rate),
        "termUnitData": dict(rules.TERM_UNIT_DATA),
        "repayTermUnitData": dict(rules.REPAY_TERM_UNIT_DATA),
        "repayTypeData": dict(rules.REPAY_TYPE_DATA),
        "purposeData": dict(rules.PURPOSE_DATA),
        "otherChannelsData": dict(rules.OTHER_CHANNELS_DATA),
    }


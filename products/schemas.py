"""The shapes of the catalogue's ``resultSet`` (seed §20, §21), for the OpenAPI description only:
``products.selectors.product_summary`` / ``product_detail`` build the dicts.

Every value is a string, "" when the product leaves it unset; comma lists are written as
``"7,14"`` (amounts with two decimals, rates with four).
"""

from rest_framework import serializers

from cashloan.api.schema import choice, digits, money, rate, text, uuid_text

from .terms import TermUnit

LIMIT_TYPE = "0：区间 1：固定值"


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

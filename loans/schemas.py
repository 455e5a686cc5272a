"""The shapes of the loans endpoints' ``resultSet`` (seed §22, §23, §26–29, §36), for the OpenAPI
description only: ``loans.quotes.quote_result`` and the row functions of ``loans.apis.servicing``
build the dicts.
"""

from rest_framework import serializers

from cashloan.api.schema import choice, digits, local_date, local_datetime, money, rate, text, uuid_text
from products.rules import OTHER_CHANNELS_DATA, PURPOSE_DATA
from products.terms import RepayType, TermUnit

from .models import ApplicationStatus

APPLICATION_ID = {
    "type": "string",
    "format": "uuid",
    "description": "新借款申请的 ID（即 §28 的 id、§29 的 loanProductApplyId）",
}


class QuotePeriodResult(serializers.Serializer):
    """One period of the §22 schedule preview."""

    periodNum = digits("期数")
    dueDate = local_date("约定还款日")
    principal = money("应还本金")
    interest = money("应还利息")
    fee = money("费用")
    total = money("应还总额")


class QuoteResult(serializers.Serializer):
    """§22: the seed's figures, plus the service fee, the schedule and the annualised cost."""

    applyAmount = money("借贷金额")
    replyAmount = money("到账金额（借贷金额减服务费）")
    serviceFee = money("服务费（放款时扣除）")
    totalAmount = money("应还总额")
    totalDuePrincipal = money("总应还本金")
    totalDueInterest = money("总应还利息")
    totalDueFee = money("总应还费用")
    repayTime = local_date("预计（最后一期）还款日")
    annualizedCostRate = rate("年化综合成本（IRR），无法计算时为空", optional=True)
    schedule = QuotePeriodResult(many=True, help_text="还款计划预览")


class RepayInfoResult(serializers.Serializer):
    """§26: one schedule period of the caller's disbursed or paid-off loans."""

    id = uuid_text("还款 id（§36 的 id）")
    productName = text("贷款产品名称")
    code = text("借贷编码")
    periodNum = digits("期数")
    dueRepayDate = local_datetime("约定还款时间（当日 23:59:59）")
    repayStatus = choice([0, 1], "还款状态 0：未还 1：已还")
    applyAmount = money("借款金额")
    duePrincipal = money("应还本金")
    dueInterest = money("应还利息")
    duePenalty = money("应还罚息（未还：算至今日）")
    dueFeeAmount = money("应还费用")
    dueTotalAmount = money("应还总额")
    needPayTotalAmount = money("待还金额（已还为 0.00）")
    contractUrl = text("合同 Url")


class UserCenterResult(serializers.Serializer):
    """§27: the borrower's credit and totals."""

    realName = text("姓名")
    mobile = text("手机号")
    availableCredit = money("可用额度（未设总额度时为空）", optional=True)
    totalCredit = money("总额度（未设时为空，表示不限）", optional=True)
    totalApplyAmount = money("成功借款总额")
    totalNeedPayAmount = money("待还总额")


class ContractInfoResult(serializers.Serializer):
    """§28 ``contractInfoList``: one contract of the loan."""

    contractName = text("合同名称")
    contractPath = text("合同路径")


class LoanApplyInfoResult(serializers.Serializer):
    """§28: one of the caller's loan applications."""

    id = uuid_text("申请借款 Id")
    loanProductId = uuid_text("产品 Id")
    name = text("产品名称")
    code = text("借款编码")
    applyStatus = choice(ApplicationStatus.values, "借款状态 0：待审核 1：审核中 2：审核成功 3：审核拒绝 4：已放款 5：已还完")
    applyAmount = money("借贷金额")
    replyAmount = money("批复（到账）金额")
    repayType = choice(sorted(RepayType.codes()), f"还款方式 {RepayType.legend()}")
    releaseDate = local_datetime("放款时间（未放款为空）", optional=True)
    applyTime = local_datetime("申请时间")
    termCount = digits("借款期限")
    termUnit = choice(sorted(TermUnit.codes()), f"借款期限单位 {TermUnit.legend()}")
    interestRate = rate("年化利率")
    penaltyRate = rate("罚息利率")
    authTermCount = digits("批准期限")
    authTermUnit = choice(sorted(TermUnit.codes()), f"批准期限单位 {TermUnit.legend()}")
    useType = choice(PURPOSE_DATA, "借款用途 15–22", optional=True)
    otherChannels = choice(OTHER_CHANNELS_DATA, "其他渠道借款信息 01–03", optional=True)
    contractInfoList = ContractInfoResult(many=True, help_text="合同集合")


class LoanApplyRepayResult(serializers.Serializer):
    """§29: one period of one of the caller's loans."""

    repayId = uuid_text("还款计划 id（§36 的 id）")
    periodNum = digits("期数")
    dueRepayDate = digits("约定还款时间（当日 23:59:59 的毫秒时间戳）")
    duePrincipal = money("应还本金")
    dueInterest = money("应还利息")
    fee = money("每期费用")
    dueAmount = money("应还总额")
    loanProductApplyId = uuid_text("借贷 Id")


class RepaymentResult(serializers.Serializer):
    """§36: the posted repayment."""

    repaymentId = uuid_text("还款记录 id")
    amount = money("本次还款金额")

"""The loans endpoints' ``resultSet`` (seed §22, §23, §26–29, §36): each serializer describes
one shape for the OpenAPI description, and the function below it builds that shape (the
serializers never run on a reply).
"""

from rest_framework import serializers

from cashloan.api.schema import choice, digits, local_date, local_datetime, money, rate, text, uuid_text
from cashloan.money import money_str, rate_str
from products.rules import OTHER_CHANNELS_DATA, PURPOSE_DATA
from products.terms import RepayType, TermUnit

from . import selectors
from .contract import CONTRACT_NAME, contract_path
from .models import ApplicationStatus, LoanApplication, Repayment, RepaymentPeriod
from .quotes import Quote
from .selectors import UserCenter

APPLICATION_ID = {
    "type": "string",
    "format": "uuid",
    "description": "新借款申请的 ID（即 §28 的 id、§29 的 loanProductApplyId）",
}


def application_id_result(application: LoanApplication) -> str:
    return str(application.id)


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


def quote_result(quote: Quote) -> dict:
    """The §22.3 ``resultSet``, plus ``serviceFee``, ``schedule`` and ``annualizedCostRate``."""
    totals = quote.totals
    return {
        "applyAmount": money_str(quote.request.amount),
        "replyAmount": money_str(quote.reply_amount),
        "serviceFee": money_str(quote.service_fee),
        "totalAmount": money_str(totals.total),
        "totalDuePrincipal": money_str(totals.principal),
        "totalDueInterest": money_str(totals.interest),
        "totalDueFee": money_str(totals.fee),
        "repayTime": quote.repay_time.isoformat(),
        "annualizedCostRate": rate_str(quote.annualized_cost_rate),
        "schedule": [
            {
                "periodNum": str(period.number),
                "dueDate": period.due_date.isoformat(),
                "principal": money_str(period.principal),
                "interest": money_str(period.interest),
                "fee": money_str(period.fee),
                "total": money_str(period.total),
            }
            for period in quote.schedule
        ],
    }



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


def repay_info_row(row: selectors.RepayRow) -> dict:
    figures = row.figures
    return {
        "id": str(row.id),
        "productName": row.product_name,
        "code": row.code,
        "periodNum": str(row.number),
        "dueRepayDate": selectors.due_datetime_str(row.due_date),
        "repayStatus": "1" if row.is_paid else "0",
        "applyAmount": money_str(row.apply_amount),
        "duePrincipal": money_str(figures.principal),
        "dueInterest": money_str(figures.interest),
        "duePenalty": money_str(figures.penalty),
        "dueFeeAmount": money_str(figures.fee),
        "dueTotalAmount": money_str(figures.total),
        "needPayTotalAmount": money_str(0 if row.is_paid else figures.total),
        "contractUrl": contract_path(row.application_id),
    }



class UserCenterResult(serializers.Serializer):
    """§27: the borrower's credit and totals."""

    realName = text("姓名")
    mobile = text("手机号")
    availableCredit = money("可用额度（未设总额度时为空）", optional=True)
    totalCredit = money("总额度（未设时为空，表示不限）", optional=True)
    totalApplyAmount = money("成功借款总额")
    totalNeedPayAmount = money("待还总额")


def user_center_result(center: UserCenter) -> dict:
    return {
        "realName": center.real_name,
        "mobile": center.mobile,
        "availableCredit": money_str(center.available_credit),
        "totalCredit": money_str(center.total_credit),
        "totalApplyAmount": money_str(center.total_apply_amount),
        "totalNeedPayAmount": money_str(center.total_need_pay_amount),
    }



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


def loan_apply_row(loan: LoanApplication) -> dict:
    return {
        "id": str(loan.pk),
        "loanProductId": str(loan.product_id),
        "name": loan.product.name,
        "code": loan.code,
        "applyStatus": str(loan.status),
        "applyAmount": money_str(loan.apply_amount),
        "replyAmount": money_str(loan.reply_amount),
        "repayType": str(loan.repay_type),
        "releaseDate": selectors.local_datetime_str(loan.disbursed_at),
        "applyTime": selectors.local_datetime_str(loan.applied_at),
        "termCount": str(loan.term_count),
        "termUnit": str(loan.term_unit),
        "interestRate": rate_str(loan.interest_rate),
        "penaltyRate": rate_str(loan.penalty_rate),
        "authTermCount": str(loan.term_count),
        "authTermUnit": str(loan.term_unit),
        "useType": loan.purpose,
        "otherChannels": loan.other_channels,
        "contractInfoList": [{"contractName": CONTRACT_NAME, "contractPath": contract_path(loan.pk)}],
    }



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


def loan_repay_row(period: RepaymentPeriod) -> dict:
    return {
        "repayId": str(period.pk),
        "periodNum": str(period.number),
        "dueRepayDate": selectors.due_epoch_ms_str(period.due_date),
        "duePrincipal": money_str(period.principal),
        "dueInterest": money_str(period.interest),
        "fee": money_str(period.fee),
        "dueAmount": money_str(period.principal + period.interest + period.fee),
        "loanProductApplyId": str(period.application_id),
    }



class RepaymentResult(serializers.Serializer):
    """§36: the posted repayment."""

    repaymentId = uuid_text("还款记录 id")
    amount = money("本次还款金额")


def repayment_result(repayment: Repayment) -> dict:
    return {"repaymentId": str(repayment.pk), "amount": money_str(repayment.amount)}

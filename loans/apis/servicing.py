"""Seed §26 (getRepayInfoList), §27 (getUserCenterInfo), §28 (getLoanApplyInfoList),
§29 (getLoanApplyRepayList) and §36 (gotoRepayment)."""

from rest_framework import serializers

from cashloan.api.codes import MALFORMED_REQUEST
from cashloan.api.errors import MalformedRequest
from cashloan.api.envelope import Page
from cashloan.api.pagination import PageRequestSerializer, page_bounds, paginate
from cashloan.api.schema import described
from cashloan.api.views import ApiView

from .. import codes, schemas, selectors
from ..lifecycle import local_today
from ..models import Repayment
from ..repayments import repay

CONDITION = {
    "type": "string", "nullable": True, "enum": [None, "", *selectors.RepayCondition.VALUES],
    "description": "查询条件 0 或空：全部 1：已还 2：未还 3：逾期 4：提前结清",
}
REPAYMENT_KIND = {"type": "string", "enum": ["current", "all"], "description": "current：按期还款 all：一次性还清"}


class GetRepayInfoList(ApiView):
    """§26 获取还款信息: one row per schedule period of the caller's disbursed or paid-off loans."""

    class Input(PageRequestSerializer):
        condition = described(serializers.CharField, CONDITION)(required=False, allow_blank=True, allow_null=True, max_length=4)

    input_serializer = Input
    login_required = True
    success_code = codes.REPAY_INFO_OK
    success_message = "获取还款信息成功"
    paged = True
    result_serializer = schemas.RepayInfoResult
    response_codes = {MALFORMED_REQUEST: "请求报文传输信息有误；查询条件 condition 错误"}

    def handle(self, request, data):
        condition = (data.get("condition") or "").strip()
        if condition and condition not in selectors.RepayCondition.VALUES:
            raise MalformedRequest("查询条件错误：condition 只能为 0、1、2、3、4")
        page_num, page_size, offset = page_bounds(data)
        rows, total = selectors.repay_page(request.user.pk, condition, local_today(), offset, page_size)
        return Page([schemas.repay_info_row(row) for row in rows], page_num, page_size, total)


class GetUserCenterInfo(ApiView):
    """§27 获取个人中心统计数据: the borrower's credit and totals."""

    login_required = True
    success_message = "获取个人中心统计数据成功"
    result_serializer = schemas.UserCenterResult

    def handle(self, request, data):
        return schemas.user_center_result(selectors.user_center(request.user, local_today()))


class GetLoanApplyInfoList(ApiView):
    """§28 我的借款（借款信息）: the caller's loan applications, newest first."""

    input_serializer = PageRequestSerializer
    login_required = True
    success_message = "获取我的借款信息成功"
    paged = True
    result_serializer = schemas.LoanApplyInfoResult

    def handle(self, request, data):
        return paginate(selectors.loan_applications(request.user), data, schemas.loan_apply_row)


class GetLoanApplyRepayList(ApiView):
    """§29 我的借款（每期还款）: the schedule of one of the caller's loans (anyone else's: an empty page)."""

    class Input(PageRequestSerializer):
        loanProductApplyId = serializers.CharField(max_length=64)

    input_serializer = Input
    login_required = True
    success_message = "获取我的借款-每期还款成功"
    paged = True
    result_serializer = schemas.LoanApplyRepayResult

    def handle(self, request, data):
        periods = selectors.loan_schedule(request.user, data["loanProductApplyId"])
        return paginate(periods, data, schemas.loan_repay_row)


class GotoRepayment(ApiView):
    """§36 还款（按期还款、一次性还清）: ``current`` pays exactly the named period (refused with
    ``20006004`` while an earlier one is unpaid), ``all`` pays the loan off (CONTRACT §8). ``resultSet`` names the posted repayment (the seed's is empty)."""

    class Input(serializers.Serializer):
        id = serializers.CharField(max_length=64)
        repayType = described(serializers.CharField, REPAYMENT_KIND)(max_length=16)

    input_serializer = Input
    login_required = True
    success_code = codes.REPAYMENT_OK
    success_message = "还款成功"
    result_serializer = schemas.RepaymentResult
    response_codes = {
        MALFORMED_REQUEST: "请求报文传输信息有误；还款类型 repayType 错误",
        codes.REPAYMENT_PLAN_NOT_FOUND: "还款被拒：还款计划不存在或不属于本人",
        codes.NOTHING_DUE: "还款被拒：无应还款项或已还清",
        codes.PAYMENT_FAILED: "还款失败：支付渠道扣款失败",
        codes.EARLIER_PERIOD_UNPAID: "还款被拒：按期还款（current）所指的期数之前还有未还的期，消息中写明最早未还的期数",
    }

    def handle(self, request, data):
        if data["repayType"] not in Repayment.Kind.values:
            raise MalformedRequest("还款类型错误：repayType 只能为 current 或 all")
        return schemas.repayment_result(repay(request.user, data["id"], data["repayType"]))

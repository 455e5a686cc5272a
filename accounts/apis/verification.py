"""Seed §19 (getAuthenticationStatus) and §30–§32 (authUserBankCard, authUserMobile,
authRealNameInfo).
"""

from rest_framework import serializers

from cashloan.api.views import ApiView

from .. import schemas, selectors
from ..services import verification
from .common import VERIFICATION_REFUSED, text_field


class GetAuthenticationStatus(ApiView):
    """§19 获取认证状态信息：四项认证、黑名单和风险标记；本人读取，号码不打码。"""

    login_required = True
    success_message = "获取认证状态成功"
    result_serializer = schemas.AuthenticationStatusResult

    def handle(self, request, data):
        return schemas.authentication_status_result(selectors.verification_file(request.user))


class BankCardInput(serializers.Serializer):
    bankCardNo = text_field(30)
    mobile = text_field(20)


class AuthUserBankCard(ApiView):
    """§30 银行卡认证：须先完成 §32 身份认证；新卡替换旧卡。"""

    input_serializer = BankCardInput
    login_required = True
    success_message = "银行卡认证成功"
    response_codes = VERIFICATION_REFUSED

    def handle(self, request, data):
        verification.verify_bank_card(request.user, card_number=data["bankCardNo"], reserved_mobile=data["mobile"])
        return ""


class AuthUserMobile(ApiView):
    """§31 手机实名认证：核对本账号手机号与已认证的身份（须先完成 §32）。"""

    login_required = True
    success_message = "手机实名认证成功"
    response_codes = VERIFICATION_REFUSED

    def handle(self, request, data):
        verification.verify_mobile(request.user)
        return ""


class RealNameInput(serializers.Serializer):
    realName = text_field(50)
    idCardNo = text_field(30)


class AuthRealNameInfo(ApiView):
    """§32 身份信息认证（实名认证）：``resultSet`` 是手机实名认证状态 0/1。"""

    input_serializer = RealNameInput
    login_required = True
    success_message = "身份实名认证成功"
    result_schema = schemas.MOBILE_AUTH_STATUS
    response_codes = VERIFICATION_REFUSED

    def handle(self, request, data):
        user = verification.verify_real_name(request.user, real_name=data["realName"], id_number=data["idCardNo"])
        return schemas.mobile_auth_status_result(user)

"""Seed §7 (getCode), §8/§11 (getSmsCode, forgetPwdGetSmsCode) and §9/§12 (checkSmsCode,
forgetPwdCheckSmsCode).
"""

from rest_framework import serializers

from cashloan.api.codes import RATE_LIMITED
from cashloan.api.ratelimit import client_ip
from cashloan.api.views import ApiView

from .. import codes, schemas
from ..services import sms_codes
from .common import FORMAT_OR_REGISTERED, FORMAT_OR_UNREGISTERED, text_field


SMS_SENDING_CODES = {
    codes.CAPTCHA_WRONG: "验证码错误",
    codes.CAPTCHA_EXPIRED: "验证码过期",
    RATE_LIMITED: "短信请求过于频繁（每手机 60 秒 1 条、每日上限；每 IP 每小时上限）",
}
SMS_CHECKING_CODES = {codes.SMS_CODE_TIMEOUT: "手机短信验证码超时", codes.SMS_CODE_WRONG: "手机短信验证码错误"}



class GetCode(ApiView):
    """§7 获取验证码：4 位图形验证码，2 分钟内有效，一次有效，绑定调用者的会话 Cookie。"""

    success_message = "获取验证码成功"
    result_schema = schemas.CAPTCHA
    response_codes = {RATE_LIMITED: "获取验证码过于频繁（每 IP 每分钟上限）"}

    def handle(self, request, data):
        return sms_codes.new_captcha(request._request.session, client_ip=client_ip(request._request))


class SendSmsInput(serializers.Serializer):
    mobile = text_field(20)
    code = text_field(10)


class GetSmsCode(ApiView):
    """§8 获取手机验证码（注册）：先校验 §7 的验证码，再向未注册的手机号发送 6 位短信验证码。"""

    input_serializer = SendSmsInput
    success_code = codes.SMS_SENT
    success_message = "短信发送成功"
    response_codes = {codes.MALFORMED_REQUEST: FORMAT_OR_REGISTERED, **SMS_SENDING_CODES}

    def handle(self, request, data):
        sms_codes.send_register_code(
            mobile=data["mobile"], captcha=data["code"],
            session_key=request._request.session.session_key, client_ip=client_ip(request._request),
        )
        return ""


class ForgetPwdGetSmsCode(GetSmsCode):
    """§11 忘记密码请求手机验证码：先校验 §7 的验证码，再向已注册的手机号发送短信验证码。"""

    response_codes = {codes.MALFORMED_REQUEST: FORMAT_OR_UNREGISTERED, **SMS_SENDING_CODES}

    def handle(self, request, data):
        sms_codes.send_reset_code(
            mobile=data["mobile"], captcha=data["code"],
            session_key=request._request.session.session_key, client_ip=client_ip(request._request),
        )
        return ""


class CheckSmsInput(serializers.Serializer):
    mobile = text_field(20)
    smscode = text_field(10)


class CheckSmsCode(ApiView):
    """§9 校验手机验证码（注册）：成功后 10 分钟内可 §10 设置密码。"""

    input_serializer = CheckSmsInput
    success_code = codes.SMS_CODE_OK
    success_message = "手机短信校验成功"
    response_codes = {codes.MALFORMED_REQUEST: FORMAT_OR_REGISTERED, **SMS_CHECKING_CODES}

    def handle(self, request, data):
        sms_codes.check_register_code(mobile=data["mobile"], sms_code=data["smscode"])
        return ""


class ForgetPwdCheckSmsCode(CheckSmsCode):
    """§12 忘记密码校验手机验证码：成功后 10 分钟内可 §13 身份认证、§14 重置密码。"""

    response_codes = {codes.MALFORMED_REQUEST: FORMAT_OR_UNREGISTERED, **SMS_CHECKING_CODES}

    def handle(self, request, data):
        sms_codes.check_reset_code(mobile=data["mobile"], sms_code=data["smscode"])
        return ""

"""Seed §4 (login) and §18 (quitMobileLogin)."""

from rest_framework import serializers

from cashloan.api.codes import RATE_LIMITED
from cashloan.api.ratelimit import client_ip
from cashloan.api.views import ApiView

from .. import codes, schemas
from ..models import AppType
from ..services import sessions
from .common import text_field


class LoginInput(serializers.Serializer):
    username = text_field(20)
    password = text_field(256)
    appType = serializers.ChoiceField(choices=AppType.values)
    token = text_field(255)


class Login(ApiView):
    """§4 登陆接口：手机号（username）和 DES 加密的密码换取会话凭证。

    ``resultSet`` 是会话 id，同时以 Cookie 下发；之后的请求可用 Cookie 或 ``Authorization: Bearer``。
    """

    input_serializer = LoginInput
    success_code = codes.LOGIN_OK
    success_message = "登陆授权成功"
    result_schema = schemas.SESSION_ID
    response_codes = {
        codes.LOGIN_NO_ACCOUNT: "登陆授权失败，账号不存在",
        codes.LOGIN_WRONG_PASSWORD: "登陆授权失败，密码错误",
        codes.LOGIN_LOCKED: "登陆授权失败，多次密码错误，账号被锁",
        codes.LOGIN_FAILED: "登陆授权失败（账号已停用）",
        RATE_LIMITED: "登录请求过于频繁（每 IP 每分钟上限）",
    }

    def handle(self, request, data):
        sessions.limit_login_attempts(client_ip(request._request))
        user = sessions.authenticate_customer(mobile=data["username"], password_cipher=data["password"])
        return sessions.start_session(request._request, user, app_type=data["appType"], token=data["token"])


class QuitInput(serializers.Serializer):
    sessionId = serializers.RegexField(r"^[A-Za-z0-9]{1,64}$")


class QuitMobileLogin(ApiView):
    """§18 退出登录：结束 sessionId 指定的会话（已结束或未知的会话同样成功）。"""

    input_serializer = QuitInput
    success_code = codes.LOGOUT_OK
    success_message = "退出登录成功"

    def handle(self, request, data):
        sessions.end_session(request._request, data["sessionId"])
        return ""

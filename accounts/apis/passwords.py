"""Seed §10 (userRegister), §13 (forgetPwdIdentityAuth), §14 (userResetPwd) and §15 (modifyPwd)."""

from rest_framework import serializers

from cashloan.api.views import ApiView

from .. import codes
from ..services import passwords, sessions
from .common import FORMAT_OR_REGISTERED, FORMAT_OR_UNREGISTERED, logged_in_user, text_field


class PasswordPairInput(serializers.Serializer):
    mobile = text_field(20)
    password = text_field(256)
    confirmPassword = text_field(256)


class UserRegister(ApiView):
    """§10 设置密码（注册）：须在 §9 校验成功后 10 分钟内，密码 DES 加密。"""

    input_serializer = PasswordPairInput
    success_code = codes.REGISTER_OK
    success_message = "密码设置成功"
    response_codes = {
        codes.MALFORMED_REQUEST: FORMAT_OR_REGISTERED,
        codes.REGISTER_FAILED: "密码设置失败（未完成短信校验、两次密码不一致或长度不符）",
    }

    def handle(self, request, data):
        passwords.register(mobile=data["mobile"], password_cipher=data["password"], confirm_cipher=data["confirmPassword"])
        return ""


class IdentityInput(serializers.Serializer):
    mobile = text_field(20)
    realname = text_field(50)
    identitycode = text_field(30)


class ForgetPwdIdentityAuth(ApiView):
    """§13 忘记密码身份认证：已实名的账号须核对姓名和身份证号（路径见 CONTRACT §1）。"""

    input_serializer = IdentityInput
    success_code = codes.IDENTITY_OK
    success_message = "身份认证成功"
    response_codes = {
        codes.MALFORMED_REQUEST: FORMAT_OR_UNREGISTERED,
        codes.IDENTITY_FAILED: "身份认证失败（未完成短信校验，或姓名、身份证号不符）",
    }

    def handle(self, request, data):
        passwords.verify_reset_identity(mobile=data["mobile"], real_name=data["realname"], id_number=data["identitycode"])
        return ""


class UserResetPwd(ApiView):
    """§14 重置密码：须在 §12 校验（已实名的账号还须 §13 认证）成功后，结束该账号的其他会话。"""

    input_serializer = PasswordPairInput
    success_code = codes.RESET_OK
    success_message = "密码重置成功"
    response_codes = {
        codes.MALFORMED_REQUEST: FORMAT_OR_UNREGISTERED,
        codes.RESET_FAILED: "密码重置失败（未完成校验、两次密码不一致或长度不符）",
    }

    def handle(self, request, data):
        passwords.reset_password(mobile=data["mobile"], password_cipher=data["password"], confirm_cipher=data["confirmPassword"])
        return ""


class ModifyInput(serializers.Serializer):
    mobile = text_field(20)
    oldPassword = text_field(256)
    newPassword = text_field(256)


class ModifyPwd(ApiView):
    """§15 修改密码：核对当前密码后设置新密码；带会话时只能改本人的密码，本会话保留。"""

    input_serializer = ModifyInput
    success_code = codes.MODIFY_OK
    success_message = "密码修改成功"
    response_codes = {
        codes.MALFORMED_REQUEST: "请求报文传输信息有误；账号不存在；手机号码格式错误",
        codes.MODIFY_FAILED: "密码修改失败（非本人账号、账号停用或新密码不符合要求）",
        codes.MODIFY_WRONG_OLD_PASSWORD: "当前密码错误",
        codes.LOGIN_LOCKED: "多次密码错误，账号被锁，请 15 分钟后再试",
    }

    def handle(self, request, data):
        session_user = logged_in_user(request)
        user = passwords.change_password(
            mobile=data["mobile"], old_cipher=data["oldPassword"], new_cipher=data["newPassword"], session_user=session_user
        )
        if session_user is not None:
            sessions.keep_session(request._request, user)
        return ""

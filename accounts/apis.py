"""The accounts endpoints (seed §4, §7–§19, §30–§35): validate, call one service or selector."""

from rest_framework import serializers

from cashloan.api.errors import ApiError
from cashloan.api.ratelimit import client_ip
from cashloan.api.views import ApiView

from . import codes, selectors, services
from .challenges import issue_captcha
from .inputs import PERSONAL_INFO_KEYS, parse_contact, parse_personal_info
from .models import AppType


def _text(max_length: int = 50, **kwargs):
    return serializers.CharField(max_length=max_length, **kwargs)


def _session_user(request):
    user = getattr(request._request, "user", None)
    return user if user is not None and user.is_authenticated else None


# --- §4 login, §18 logout ---------------------------------------------------------------------

class LoginInput(serializers.Serializer):
    username = _text(20)
    password = _text(256)
    appType = serializers.ChoiceField(choices=AppType.values)
    token = _text(255)


class Login(ApiView):
    input_serializer = LoginInput
    success_code = codes.LOGIN_OK
    success_message = "登陆授权成功"

    def handle(self, request, data):
        user = services.authenticate_customer(mobile=data["username"], password_cipher=data["password"])
        return services.start_session(request._request, user, app_type=data["appType"], token=data["token"])


class QuitInput(serializers.Serializer):
    sessionId = serializers.RegexField(r"^[A-Za-z0-9]{1,64}$")


class QuitMobileLogin(ApiView):
    input_serializer = QuitInput
    success_code = codes.LOGOUT_OK
    success_message = "退出登录成功"

    def handle(self, request, data):
        services.end_session(request._request, data["sessionId"])
        return ""


# --- §7 captcha, §8/§11 SMS sending, §9/§12 SMS checking ------------------------------------------

class GetCode(ApiView):
    success_message = "获取验证码成功"

    def handle(self, request, data):
        session = request._request.session
        session["captcha_session"] = True  # a non-empty session, so the cookie is set
        if session.session_key is None:
            session.save()
        return issue_captcha(session.session_key)


class SendSmsInput(serializers.Serializer):
    mobile = _text(20)
    code = _text(10)


class GetSmsCode(ApiView):
    input_serializer = SendSmsInput
    success_code = codes.SMS_SENT
    success_message = "短信发送成功"

    def handle(self, request, data):
        services.send_register_code(
            mobile=data["mobile"], captcha=data["code"],
            session_key=request._request.session.session_key, client_ip=client_ip(request._request),
        )
        return ""


class ForgetPwdGetSmsCode(GetSmsCode):
    def handle(self, request, data):
        services.send_reset_code(
            mobile=data["mobile"], captcha=data["code"],
            session_key=request._request.session.session_key, client_ip=client_ip(request._request),
        )
        return ""


class CheckSmsInput(serializers.Serializer):
    mobile = _text(20)
    smscode = _text(10)


class CheckSmsCode(ApiView):
    input_serializer = CheckSmsInput
    success_code = codes.SMS_CODE_OK
    success_message = "手机短信校验成功"

    def handle(self, request, data):
        services.check_register_code(mobile=data["mobile"], sms_code=data["smscode"])
        return ""


class ForgetPwdCheckSmsCode(CheckSmsCode):
    def handle(self, request, data):
        services.check_reset_code(mobile=data["mobile"], sms_code=data["smscode"])
        return ""


# --- §10 register, §13 identity, §14 reset, §15 modify -----------------------------------------------

class PasswordPairInput(serializers.Serializer):
    mobile = _text(20)
    password = _text(256)
    confirmPassword = _text(256)


class UserRegister(ApiView):
    input_serializer = PasswordPairInput
    success_code = codes.REGISTER_OK
    success_message = "密码设置成功"

    def handle(self, request, data):
        services.register(mobile=data["mobile"], password_cipher=data["password"], confirm_cipher=data["confirmPassword"])
        return ""


class IdentityInput(serializers.Serializer):
    mobile = _text(20)
    realname = _text(50)
    identitycode = _text(30)


class ForgetPwdIdentityAuth(ApiView):
    input_serializer = IdentityInput
    success_code = codes.IDENTITY_OK
    success_message = "身份认证成功"

    def handle(self, request, data):
        services.verify_reset_identity(mobile=data["mobile"], real_name=data["realname"], id_number=data["identitycode"])
        return ""


class UserResetPwd(ApiView):
    input_serializer = PasswordPairInput
    success_code = codes.RESET_OK
    success_message = "密码重置成功"

    def handle(self, request, data):
        services.reset_password(mobile=data["mobile"], password_cipher=data["password"], confirm_cipher=data["confirmPassword"])
        return ""


class ModifyInput(serializers.Serializer):
    mobile = _text(20)
    oldPassword = _text(256)
    newPassword = _text(256)


class ModifyPwd(ApiView):
    input_serializer = ModifyInput
    success_code = codes.MODIFY_OK
    success_message = "密码修改成功"

    def handle(self, request, data):
        session_user = _session_user(request)
        user = services.change_password(
            mobile=data["mobile"], old_cipher=data["oldPassword"], new_cipher=data["newPassword"], session_user=session_user
        )
        if session_user is not None:
            services.keep_session(request._request, user)
        return ""


# --- §16 feedback, §17 versions ----------------------------------------------------------------------

class SuggestionInput(serializers.Serializer):
    mobile = _text(20)
    source = _text(20)
    suggestion = serializers.CharField(max_length=5000)


class CommitSuggestion(ApiView):
    input_serializer = SuggestionInput
    success_code = codes.SUGGESTION_OK
    success_message = "意见反馈成功"

    def handle(self, request, data):
        services.submit_feedback(
            mobile=data["mobile"], source=data["source"], suggestion=data["suggestion"], user=_session_user(request)
        )
        return ""


class VersionInput(serializers.Serializer):
    appType = serializers.ChoiceField(choices=AppType.values)


class AppVersionDetection(ApiView):
    input_serializer = VersionInput
    success_code = codes.VERSION_OK
    success_message = "版本检测成功"

    def handle(self, request, data):
        version = selectors.latest_app_version(data["appType"])
        if version is None:
            raise ApiError("版本检测失败，暂无该类型的版本信息", code=codes.VERSION_NONE)
        return version


# --- §19 status, §30–§32 verification ------------------------------------------------------------------

class GetAuthenticationStatus(ApiView):
    login_required = True
    success_message = "获取认证状态成功"

    def handle(self, request, data):
        return selectors.authentication_status(request.user)


class BankCardInput(serializers.Serializer):
    bankCardNo = _text(30)
    mobile = _text(20)


class AuthUserBankCard(ApiView):
    input_serializer = BankCardInput
    login_required = True
    success_message = "银行卡认证成功"

    def handle(self, request, data):
        services.verify_bank_card(request.user, card_number=data["bankCardNo"], reserved_mobile=data["mobile"])
        return ""


class AuthUserMobile(ApiView):
    login_required = True
    success_message = "手机实名认证成功"

    def handle(self, request, data):
        services.verify_mobile(request.user)
        return ""


class RealNameInput(serializers.Serializer):
    realName = _text(50)
    idCardNo = _text(30)


class AuthRealNameInfo(ApiView):
    input_serializer = RealNameInput
    login_required = True
    success_message = "身份实名认证成功"

    def handle(self, request, data):
        user = services.verify_real_name(request.user, real_name=data["realName"], id_number=data["idCardNo"])
        return selectors.mobile_auth_status(user)


# --- §33 view, §34 save personal information, §35 contacts ----------------------------------------------

class GetPerfectUserInfo(ApiView):
    login_required = True
    success_message = "获取当前登录用户详细信息"

    def handle(self, request, data):
        return selectors.perfect_user_info(request.user)


PersonalInfoInput = type(
    "PersonalInfoInput", (serializers.Serializer,), {key: _text(200) for key in PERSONAL_INFO_KEYS}
)


class SavePerfectUserInfo(ApiView):
    input_serializer = PersonalInfoInput
    login_required = True
    success_message = "完善个人信息成功"

    def handle(self, request, data):
        services.save_personal_info(request.user, parse_personal_info(data))
        return ""


class ContactInput(serializers.Serializer):
    id = _text(64, required=False, allow_blank=True, allow_null=True)
    operType = _text(10)
    relType = _text(2)
    realName = _text(50)
    phoneNum = _text(20)


class SaveOrUpdateRelShip(ApiView):
    input_serializer = ContactInput
    login_required = True
    success_message = "完善联系人信息成功"

    def handle(self, request, data):
        services.save_contact(request.user, **parse_contact(data))
        return ""

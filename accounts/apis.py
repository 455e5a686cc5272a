"""The accounts endpoints (seed §4, §7–§19, §30–§35): validate, call one service or selector."""

from rest_framework import serializers

from cashloan.api.codes import RATE_LIMITED
from cashloan.api.errors import ApiError
from cashloan.api.ratelimit import client_ip
from cashloan.api.views import ApiView

from . import codes, schemas, selectors, services
from .challenges import issue_captcha
from .inputs import PERSONAL_INFO_KEYS, parse_contact, parse_personal_info
from .models import AppType


FORMAT_OR_REGISTERED = "请求报文传输信息有误；手机号码已注册；手机号码格式错误"
FORMAT_OR_UNREGISTERED = "请求报文传输信息有误；手机号码未注册；手机号码格式错误"
VERIFICATION_REFUSED = {codes.VERIFICATION_FAILED: "验证失败（原因见 responseMessage）；或系统错误（附请求编号）"}
SMS_SENDING_CODES = {
    codes.CAPTCHA_WRONG: "验证码错误",
    codes.CAPTCHA_EXPIRED: "验证码过期",
    RATE_LIMITED: "短信请求过于频繁（每手机 60 秒 1 条、每日上限；每 IP 每小时上限）",
}
SMS_CHECKING_CODES = {codes.SMS_CODE_TIMEOUT: "手机短信验证码超时", codes.SMS_CODE_WRONG: "手机短信验证码错误"}


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
        services.limit_login_attempts(client_ip(request._request))
        user = services.authenticate_customer(mobile=data["username"], password_cipher=data["password"])
        return services.start_session(request._request, user, app_type=data["appType"], token=data["token"])


class QuitInput(serializers.Serializer):
    sessionId = serializers.RegexField(r"^[A-Za-z0-9]{1,64}$")


class QuitMobileLogin(ApiView):
    """§18 退出登录：结束 sessionId 指定的会话（已结束或未知的会话同样成功）。"""

    input_serializer = QuitInput
    success_code = codes.LOGOUT_OK
    success_message = "退出登录成功"

    def handle(self, request, data):
        services.end_session(request._request, data["sessionId"])
        return ""


# --- §7 captcha, §8/§11 SMS sending, §9/§12 SMS checking ------------------------------------------

class GetCode(ApiView):
    """§7 获取验证码：4 位图形验证码，2 分钟内有效，一次有效，绑定调用者的会话 Cookie。"""

    success_message = "获取验证码成功"
    result_schema = schemas.CAPTCHA

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
    """§8 获取手机验证码（注册）：先校验 §7 的验证码，再向未注册的手机号发送 6 位短信验证码。"""

    input_serializer = SendSmsInput
    success_code = codes.SMS_SENT
    success_message = "短信发送成功"
    response_codes = {codes.MALFORMED_REQUEST: FORMAT_OR_REGISTERED, **SMS_SENDING_CODES}

    def handle(self, request, data):
        services.send_register_code(
            mobile=data["mobile"], captcha=data["code"],
            session_key=request._request.session.session_key, client_ip=client_ip(request._request),
        )
        return ""


class ForgetPwdGetSmsCode(GetSmsCode):
    """§11 忘记密码请求手机验证码：先校验 §7 的验证码，再向已注册的手机号发送短信验证码。"""

    response_codes = {codes.MALFORMED_REQUEST: FORMAT_OR_UNREGISTERED, **SMS_SENDING_CODES}

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
    """§9 校验手机验证码（注册）：成功后 10 分钟内可 §10 设置密码。"""

    input_serializer = CheckSmsInput
    success_code = codes.SMS_CODE_OK
    success_message = "手机短信校验成功"
    response_codes = {codes.MALFORMED_REQUEST: FORMAT_OR_REGISTERED, **SMS_CHECKING_CODES}

    def handle(self, request, data):
        services.check_register_code(mobile=data["mobile"], sms_code=data["smscode"])
        return ""


class ForgetPwdCheckSmsCode(CheckSmsCode):
    """§12 忘记密码校验手机验证码：成功后 10 分钟内可 §13 身份认证、§14 重置密码。"""

    response_codes = {codes.MALFORMED_REQUEST: FORMAT_OR_UNREGISTERED, **SMS_CHECKING_CODES}

    def handle(self, request, data):
        services.check_reset_code(mobile=data["mobile"], sms_code=data["smscode"])
        return ""


# --- §10 register, §13 identity, §14 reset, §15 modify -----------------------------------------------

class PasswordPairInput(serializers.Serializer):
    mobile = _text(20)
    password = _text(256)
    confirmPassword = _text(256)


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
        services.register(mobile=data["mobile"], password_cipher=data["password"], confirm_cipher=data["confirmPassword"])
        return ""


class IdentityInput(serializers.Serializer):
    mobile = _text(20)
    realname = _text(50)
    identitycode = _text(30)


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
        services.verify_reset_identity(mobile=data["mobile"], real_name=data["realname"], id_number=data["identitycode"])
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
        services.reset_password(mobile=data["mobile"], password_cipher=data["password"], confirm_cipher=data["confirmPassword"])
        return ""


class ModifyInput(serializers.Serializer):
    mobile = _text(20)
    oldPassword = _text(256)
    newPassword = _text(256)


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
    """§16 意见反馈：保存反馈内容（1–1000 字），登录时关联到该用户。"""

    input_serializer = SuggestionInput
    success_code = codes.SUGGESTION_OK
    success_message = "意见反馈成功"
    response_codes = {
        codes.MALFORMED_REQUEST: "请求报文传输信息有误；手机号码格式错误",
        codes.SUGGESTION_FAILED: "意见反馈失败（内容为空或过长）",
    }

    def handle(self, request, data):
        services.submit_feedback(
            mobile=data["mobile"], source=data["source"], suggestion=data["suggestion"], user=_session_user(request)
        )
        return ""


class VersionInput(serializers.Serializer):
    appType = serializers.ChoiceField(choices=AppType.values)


class AppVersionDetection(ApiView):
    """§17 版本检测：该 appType 的最新版本（seed 的 resultSet 为空，这里返回版本信息）。"""

    input_serializer = VersionInput
    success_code = codes.VERSION_OK
    success_message = "版本检测成功"
    result_serializer = schemas.AppVersionResult
    response_codes = {codes.VERSION_NONE: "版本检测失败，暂无该类型的版本信息"}

    def handle(self, request, data):
        version = selectors.latest_app_version(data["appType"])
        if version is None:
            raise ApiError("版本检测失败，暂无该类型的版本信息", code=codes.VERSION_NONE)
        return version


# --- §19 status, §30–§32 verification ------------------------------------------------------------------

class GetAuthenticationStatus(ApiView):
    """§19 获取认证状态信息：四项认证、黑名单和风险标记；本人读取，号码不打码。"""

    login_required = True
    success_message = "获取认证状态成功"
    result_serializer = schemas.AuthenticationStatusResult

    def handle(self, request, data):
        return selectors.authentication_status(request.user)


class BankCardInput(serializers.Serializer):
    bankCardNo = _text(30)
    mobile = _text(20)


class AuthUserBankCard(ApiView):
    """§30 银行卡认证：须先完成 §32 身份认证；新卡替换旧卡。"""

    input_serializer = BankCardInput
    login_required = True
    success_message = "银行卡认证成功"
    response_codes = VERIFICATION_REFUSED

    def handle(self, request, data):
        services.verify_bank_card(request.user, card_number=data["bankCardNo"], reserved_mobile=data["mobile"])
        return ""


class AuthUserMobile(ApiView):
    """§31 手机实名认证：核对本账号手机号与已认证的身份（须先完成 §32）。"""

    login_required = True
    success_message = "手机实名认证成功"
    response_codes = VERIFICATION_REFUSED

    def handle(self, request, data):
        services.verify_mobile(request.user)
        return ""


class RealNameInput(serializers.Serializer):
    realName = _text(50)
    idCardNo = _text(30)


class AuthRealNameInfo(ApiView):
    """§32 身份信息认证（实名认证）：``resultSet`` 是手机实名认证状态 0/1。"""

    input_serializer = RealNameInput
    login_required = True
    success_message = "身份实名认证成功"
    result_schema = schemas.MOBILE_AUTH_STATUS
    response_codes = VERIFICATION_REFUSED

    def handle(self, request, data):
        user = services.verify_real_name(request.user, real_name=data["realName"], id_number=data["idCardNo"])
        return selectors.mobile_auth_status(user)


# --- §33 view, §34 save personal information, §35 contacts ----------------------------------------------

class GetPerfectUserInfo(ApiView):
    """§33 完善信息-查看：基本、工作信息和联系人（relShipList）。"""

    login_required = True
    success_message = "获取当前登录用户详细信息"
    result_serializer = schemas.PerfectUserInfoResult

    def handle(self, request, data):
        return selectors.perfect_user_info(request.user)


PersonalInfoInput = type(
    "PersonalInfoInput", (serializers.Serializer,), {key: _text(200) for key in PERSONAL_INFO_KEYS}
)


class SavePerfectUserInfo(ApiView):
    """§34 完善信息保存：基本信息和工作信息，枚举和地区编码须取 seed 的值。"""

    input_serializer = PersonalInfoInput
    login_required = True
    success_message = "完善个人信息成功"
    response_codes = {codes.MALFORMED_REQUEST: "请求报文传输信息有误（含取值错误的字段名）"}

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
    """§35 新增、修改联系人信息：operType add 新建（最多 10 个），update 修改本人的联系人。"""

    input_serializer = ContactInput
    login_required = True
    success_message = "完善联系人信息成功"
    response_codes = {
        codes.MALFORMED_REQUEST: "请求报文传输信息有误（含取值错误的字段名）",
        **VERIFICATION_REFUSED,
    }

    def handle(self, request, data):
        services.save_contact(request.user, **parse_contact(data))
        return ""

"""What the accounts endpoints share: their text fields, the session's user, the refusal texts."""

from rest_framework import serializers

from .. import codes

FORMAT_OR_REGISTERED = "请求报文传输信息有误；手机号码已注册；手机号码格式错误"
FORMAT_OR_UNREGISTERED = "请求报文传输信息有误；手机号码未注册；手机号码格式错误"
VERIFICATION_REFUSED = {codes.VERIFICATION_FAILED: "验证失败（原因见 responseMessage）；或系统错误（附请求编号）"}


def text_field(max_length: int = 50, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, **kwargs)


def logged_in_user(request):
    """The logged-in customer of a request that does not require one, or None."""
    user = getattr(request._request, "user", None)
    return user if user is not None and user.is_authenticated else None

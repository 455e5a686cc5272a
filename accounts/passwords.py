"""Reading passwords off the wire (CONTRACT §6) and the rules for new ones."""

from cashloan.api.errors import ApiError, MalformedRequest

from .crypto import UndecryptablePassword, decrypt_password

MIN_LENGTH = 6
MAX_LENGTH = 20


def read_password(cipher_text: str, field: str) -> str:
    """The plain password, or 10001000 when the value is not what the app's DES produces."""
    try:
        return decrypt_password(cipher_text)
    except UndecryptablePassword:
        raise MalformedRequest(f"请求报文传输信息有误：{field} 未按约定加密") from None


def check_new_password(password: str, *, failure_code: str, confirm: str | None = None) -> None:
    if confirm is not None and password != confirm:
        raise ApiError("两次输入的密码不一致", code=failure_code)
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ApiError(f"密码长度须为{MIN_LENGTH}-{MAX_LENGTH}位", code=failure_code)

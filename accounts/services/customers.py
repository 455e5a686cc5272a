"""Looking customers up by mobile, with the seed's refusals for a bad, registered or unknown one.

Business refusals raise :class:`cashloan.api.errors.ApiError` with the seed's code.
"""

from cashloan.api.errors import ApiError

from .. import codes, validators
from ..models import User


def require_mobile_format(mobile: str) -> str:
    mobile = (mobile or "").strip()
    if not validators.is_mobile(mobile):
        raise ApiError(codes.MESSAGE_MOBILE_FORMAT, code=codes.MALFORMED_REQUEST)
    return mobile


def customer_by_mobile(mobile: str) -> User | None:
    return User.objects.filter(mobile=mobile).first()


def require_unregistered(mobile: str) -> None:
    if User.objects.filter(mobile=mobile).exists():
        raise ApiError(codes.MESSAGE_MOBILE_REGISTERED, code=codes.MALFORMED_REQUEST)


def require_registered(mobile: str, message: str = codes.MESSAGE_MOBILE_NOT_REGISTERED) -> User:
    user = customer_by_mobile(mobile)
    if user is None:
        raise ApiError(message, code=codes.MALFORMED_REQUEST)
    return user

"""Feedback (§16).

Business refusals raise :class:`cashloan.api.errors.ApiError` with the seed's code.
"""

from cashloan.api.errors import ApiError

from .. import codes
from ..models import Feedback
from .customers import require_mobile_format


MAX_SUGGESTION_LENGTH = 1000


def submit_feedback(*, mobile: str, source: str, suggestion: str, user) -> Feedback:
    mobile = require_mobile_format(mobile)
    suggestion = suggestion.strip()
    if not suggestion or len(suggestion) > MAX_SUGGESTION_LENGTH:
        raise ApiError(f"意见反馈失败，内容须为1-{MAX_SUGGESTION_LENGTH}字", code=codes.SUGGESTION_FAILED)
    logged_in = user if user is not None and user.is_authenticated else None
    return Feedback.objects.create(mobile=mobile, source=source.strip(), suggestion=suggestion, user=logged_in)

"""Feedback (§16), and its handling by an operator (issue 15).

Business refusals raise :class:`cashloan.api.errors.ApiError` with the seed's code.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cashloan.api.errors import ApiError
from messaging.models import CustomerMessage, CustomerMessageType
from messaging.services import message_customer

from .. import codes
from ..models import Feedback, User
from .customers import require_mobile_format


MAX_SUGGESTION_LENGTH = 1000


def submit_feedback(*, mobile: str, source: str, suggestion: str, user) -> Feedback:
    mobile = require_mobile_format(mobile)
    suggestion = suggestion.strip()
    if not suggestion or len(suggestion) > MAX_SUGGESTION_LENGTH:
        raise ApiError(f"意见反馈失败，内容须为1-{MAX_SUGGESTION_LENGTH}字", code=codes.SUGGESTION_FAILED)
    logged_in = user if user is not None and user.is_authenticated else None
    return Feedback.objects.create(mobile=mobile, source=source.strip(), suggestion=suggestion, user=logged_in)


REPLY_TITLE = "意见反馈回复"


def handle_feedback(feedback: Feedback, *, by, reply: str = "") -> Feedback:
    """An operator handles a suggestion: with a reply, the customer gets it as a customer message
    (type 99, from ``by``); without one it is only marked handled. Handled once."""
    reply = (reply or "").strip()
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.handled_at is not None:
            raise ValidationError("这条意见已经处理过")
        if reply:
            customer = locked.user or User.objects.filter(mobile=locked.mobile, is_staff=False).first()
            if customer is None:
                raise ValidationError("提交意见的手机号不是注册客户，无法发送客户消息；请不填回复，直接标记为已处理")
            message = message_customer(customer, CustomerMessageType.OTHER, REPLY_TITLE, reply)
            CustomerMessage.objects.filter(pk=message.pk).update(created_by=by)
        locked.handled_at, locked.handled_by, locked.reply = timezone.now(), by, reply
        locked.save(update_fields=["handled_at", "handled_by", "reply"])
    return locked

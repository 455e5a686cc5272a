"""The message lists' items (seed §24, §25): each serializer describes one shape for the
OpenAPI description, and the function below it builds that shape.
"""

from datetime import datetime

from django.utils import timezone
from rest_framework import serializers

from cashloan.api.schema import choice, local_datetime, text, uuid_text

from .models import CustomerMessage, CustomerMessageType, SystemMessage, SystemMessageType


def datetime_text(moment: datetime) -> str:
    """``2017-11-07 01:19:08`` in local time, as the seed writes ``sendDate``."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


class CustomerMessageResult(serializers.Serializer):
    """§24: one message to the logged-in customer."""

    id = uuid_text("消息 id")
    messageContent = text("消息内容")
    messageTitle = text("消息标题")
    messageType = choice(
        CustomerMessageType.values,
        "消息类型 11：提交审核 12：审核通过 13：审核拒绝 14：放款 15：还款提醒 16：已还款 17：逾期催收 99：其它",
    )
    sendDate = local_datetime("发送时间")


def customer_message_row(message: CustomerMessage) -> dict:
    return {
        "id": str(message.id),
        "messageContent": message.content,
        "messageTitle": message.title,
        "messageType": str(message.message_type),
        "sendDate": datetime_text(message.sent_at),
    }



class SystemMessageResult(serializers.Serializer):
    """§25: one published system message."""

    eventUrl = text("活动 url（活动消息）")
    id = uuid_text("消息 id")
    messageContent = text("消息内容")
    messageTitle = text("消息标题")
    messageType = choice(SystemMessageType.values, "消息类型 0：活动消息 1：公告消息")
    sendDate = local_datetime("发送时间")


def system_message_row(message: SystemMessage) -> dict:
    return {
        "eventUrl": message.event_url,
        "id": str(message.id),
        "messageContent": message.content,
        "messageTitle": message.title,
        "messageType": str(message.message_type),
        "sendDate": datetime_text(message.publish_at),
    }


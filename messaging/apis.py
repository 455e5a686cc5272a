"""The message endpoints (seed §24, §25): thin, they page a selector."""

from cashloan.api.pagination import PageRequestSerializer, paginate
from cashloan.api.views import ApiView

from . import schemas, selectors


class GetCustomMessage(ApiView):
    """§24 获取客户消息: the logged-in customer's own messages, newest first."""

    input_serializer = PageRequestSerializer
    login_required = True
    success_message = "获取当前登录用户消息成功"
    paged = True
    result_serializer = schemas.CustomerMessageResult

    def handle(self, request, data):
        return paginate(selectors.customer_messages(request.user), data, schemas.customer_message_row)


class GetSystemMessage(ApiView):
    """§25 获取系统消息: published system messages, newest first; no login."""

    input_serializer = PageRequestSerializer
    success_message = "获取系统消息成功"
    paged = True
    result_serializer = schemas.SystemMessageResult

    def handle(self, request, data):
        return paginate(selectors.published_system_messages(), data, schemas.system_message_row)

"""Middleware of the protocol layer: request ids, bearer-token sessions, lazy messages."""

import re
import uuid

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty

from cashloan.logs import request_id_var

_REQUEST_ID = re.compile(r"\A[A-Za-z0-9-]{8,64}\Z")


class RequestIdMiddleware:
    """Give every request an id (or keep a sane ``X-Request-ID``) for logs and fault replies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.request_id)  # every log line of this request carries it
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class BearerSessionMiddleware:
    """``Authorization: Bearer <session id>`` names the session like the cookie does (CONTRACT §5).

    Placed before Django's SessionMiddleware, which then loads it as usual.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            request.COOKIES[settings.SESSION_COOKIE_NAME] = token.strip()
        return self.get_response(request)


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware, but the message storage is only built when used.

    The stock middleware builds cookie and session storages on every request (~50 µs); only
    admin pages use messages, the JSON API never does.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)

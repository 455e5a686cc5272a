"""Views that exist only for the protocol tests (and the overhead benchmark)."""

from django.http import JsonResponse
from django.urls import path
from rest_framework import serializers

from cashloan.api.urls import api_path
from cashloan.api.views import ApiView


class Echo(ApiView):
    success_message = "回声"

    class input_serializer(serializers.Serializer):
        name = serializers.CharField(required=False)
        count = serializers.IntegerField(required=False)

    def handle(self, request, data):
        return {"name": data.get("name", ""), "count": data.get("count", 0), "text": "中文" * 40}


class Ping(ApiView):
    def handle(self, request, data):
        return {"pong": "1"}


class Boom(ApiView):
    def handle(self, request, data):
        raise RuntimeError("secret internals: password=hunter2")


class Private(ApiView):
    login_required = True

    def handle(self, request, data):
        return {"mobile": request.user.mobile}


def plain_json(request):
    return JsonResponse({"pong": "1"})


urlpatterns = [
    api_path("test/echo", Echo),
    api_path("test/ping", Ping),
    api_path("test/boom", Boom),
    api_path("test/private", Private),
    path("test/plain", plain_json),
]


def add_message(request):
    from django.contrib import messages

    messages.info(request, "saved-ok")
    return JsonResponse({})


def read_messages(request):
    from django.contrib import messages

    return JsonResponse({"messages": [str(message) for message in messages.get_messages(request)]})


urlpatterns += [path("test/add-message", add_message), path("test/read-messages", read_messages)]

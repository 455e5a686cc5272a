"""The project's URLs plus two reference views for benchmarks (``ROOT_URLCONF=bench.urls``).

``/bench/plain``: a plain Django JSON view (no signature, no envelope) — the yardstick.
``/bench/ping``: the smallest signed endpoint — the protocol layer's own cost.
``/bench/session-ping``: the same behind a login — adds the session and the user row.
"""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from cashloan.api.urls import api_path
from cashloan.api.views import ApiView
from cashloan.urls import urlpatterns as project_urlpatterns


class Ping(ApiView):
    success_message = "pong"

    def handle(self, request, data):
        return {"pong": "1"}


class SessionPing(Ping):
    login_required = True


@csrf_exempt
def plain_json(request):
    return JsonResponse({"pong": "1"})


urlpatterns = [
    path("bench/plain", plain_json),
    api_path("bench/ping", Ping),
    api_path("bench/session-ping", SessionPing),
    *project_urlpatterns,
]

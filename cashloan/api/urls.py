"""Routes that answer with and without a trailing slash (CONTRACT §1), and which paths are API paths."""

import re

from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from .errors import UnknownPath, error_response

# CONTRACT §11: an unknown path under these answers the 90004004 envelope with HTTP 404.
API_PREFIXES = ("openApi", "openCommonApi", "appApi", "appCommonApi", "security")
_API_PATH = re.compile(r"^/(?:%s)(?:/|$)" % "|".join(API_PREFIXES))


def api_path(route: str, view_class, name: str | None = None):
    """``api_path("openApi/getCode", GetCode)`` serves /openApi/getCode and /openApi/getCode/."""
    route = route.strip("/")
    return re_path(rf"^{route}/?$", view_class.as_view(), name=name or route.split("/")[-1])


def is_api_path(path: str) -> bool:
    return bool(_API_PATH.match(path))


@csrf_exempt
def unknown_api_path(request, *args, **kwargs):
    return error_response(UnknownPath())


def unknown_api_paths():
    """The last route: whatever no API view took under an API prefix (with DEBUG on too)."""
    return re_path(r"^(?:%s)(?:/.*)?$" % "|".join(API_PREFIXES), unknown_api_path)

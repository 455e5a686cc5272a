"""Routes that answer with and without a trailing slash (CONTRACT §1)."""

from django.urls import re_path


def api_path(route: str, view_class, name: str | None = None):
    """``api_path("openApi/getCode", GetCode)`` serves /openApi/getCode and /openApi/getCode/."""
    route = route.strip("/")
    return re_path(rf"^{route}/?$", view_class.as_view(), name=name or route.split("/")[-1])

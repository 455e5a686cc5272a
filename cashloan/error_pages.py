"""The site's error pages (CONTRACT §1, §11): a short Chinese page for 400/403/404/500, with no
external asset; API paths answer the JSON envelope instead (90004004, 9999).

Wired as ``handler400``... in ``cashloan/urls.py`` and as ``CSRF_FAILURE_VIEW``. Django uses
them with DEBUG off; with it on, it shows its own technical pages (API paths still get the
envelope from ``unknown_api_paths``).
"""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string

from cashloan.api.errors import UnknownPath, error_response, server_fault_response
from cashloan.api.urls import is_api_path

logger = logging.getLogger(__name__)

PAGES = {
    400: ("请求有误", "这个请求无法处理，请检查地址或稍后重试。"),
    403: ("无权访问", "您没有访问此页面的权限。如需开通，请联系管理员。"),
    404: ("页面不存在", "您访问的页面不存在，或已被移除。"),
    500: ("服务暂时不可用", "系统繁忙，请稍后再试。如问题持续，请把下面的请求编号告诉客服。"),
}
CSRF_MESSAGE = "页面已过期或请求来源无法确认，请刷新页面后重试。"
# If even the template cannot be rendered (a broken install), this still answers in Chinese.
_BARE_PAGE = '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>{title}</title><h1>{title}</h1><p>{message}</p>'


def error_page(request, status: int, message: str | None = None) -> HttpResponse:
    title, default_message = PAGES[status]
    context = {
        "status": status, "title": title, "message": message or default_message,
        "request_id": getattr(request, "request_id", "") if status == 500 else "",
    }
    try:
        # No request context: nothing here may touch the database or the cache.
        html = render_to_string("errors/page.html", context)
    except Exception:
        logger.exception("the error page could not be rendered")
        html = _BARE_PAGE.format(title=title, message=context["message"])
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    if is_api_path(request.path):
        return error_response(UnknownPath())
    return error_page(request, 404)


def server_error(request):
    """Django has logged the traceback (``django.request``) by now."""
    if is_api_path(request.path):
        return server_fault_response(getattr(request, "request_id", "-"))
    return error_page(request, 500)


def csrf_failure(request, reason=""):
    return error_page(request, 403, CSRF_MESSAGE)

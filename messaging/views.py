"""HTML pages: the two H5 pages (seed §5, §6)."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import selectors
from .h5_texts import LOAN_HELP, REGISTRATION_PROTOCOL


def _h5_page(request, slug: str):
    return render(request, "h5/page.html", {"page": selectors.h5_page_text(slug)})


# The app may POST to these pages (CONTRACT §1); they change nothing, so no CSRF token applies.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def registration_protocol(request):
    return _h5_page(request, REGISTRATION_PROTOCOL)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def loan_help(request):
    return _h5_page(request, LOAN_HELP)

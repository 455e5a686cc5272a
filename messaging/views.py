"""HTML pages: the two H5 pages (seed §5, §6) and the loan contract."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
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


@never_cache
@require_http_methods(["GET", "HEAD"])
def loan_contract(request, loan_id):
    """Only the borrower (session cookie or Bearer) or staff; anyone else gets 404."""
    loan = selectors.loan_for_viewer(request.user, loan_id)
    return render(request, "h5/loan_contract.html", selectors.loan_contract(loan))

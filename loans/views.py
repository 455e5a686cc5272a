"""HTML pages of loans: the loan contract (linked from §26 and §28)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import contract


@never_cache
@require_http_methods(["GET", "HEAD"])
def loan_contract(request, loan_id):
    """Only the borrower (session cookie or Bearer) or staff; anyone else gets 404."""
    loan = contract.loan_for_viewer(request.user, loan_id)
    return render(request, "h5/loan_contract.html", contract.loan_contract(loan))

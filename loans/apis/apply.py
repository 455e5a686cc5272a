"""Seed §22 (getLoanApplyConfirmInfo) and §23 (loanProductApply)."""

from cashloan.api.views import ApiView


class GetLoanApplyConfirmInfo(ApiView):
    login_required = True

    def handle(self, request, data):
        raise NotImplementedError


class LoanProductApply(ApiView):
    login_required = True

    def handle(self, request, data):
        raise NotImplementedError

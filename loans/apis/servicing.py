"""Seed §26 (getRepayInfoList), §27 (getUserCenterInfo), §28 (getLoanApplyInfoList),
§29 (getLoanApplyRepayList) and §36 (gotoRepayment)."""

from cashloan.api.views import ApiView


class GetRepayInfoList(ApiView):
    login_required = True

    def handle(self, request, data):
        raise NotImplementedError


class GetUserCenterInfo(ApiView):
    login_required = True

    def handle(self, request, data):
        raise NotImplementedError


class GetLoanApplyInfoList(ApiView):
    login_required = True

    def handle(self, request, data):
        raise NotImplementedError


class GetLoanApplyRepayList(ApiView):
    login_required = True

    def handle(self, request, data):
        raise NotImplementedError


class GotoRepayment(ApiView):
    login_required = True

    def handle(self, request, data):
        raise NotImplementedError

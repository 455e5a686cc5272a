from django.urls import path

from cashloan.api.urls import api_path

from . import views
from .apis import apply, servicing

urlpatterns = [
    api_path("appCommonApi/getLoanApplyConfirmInfo", apply.GetLoanApplyConfirmInfo),
    api_path("appCommonApi/loanProductApply", apply.LoanProductApply),
    api_path("appCommonApi/getRepayInfoList", servicing.GetRepayInfoList),
    api_path("appCommonApi/getUserCenterInfo", servicing.GetUserCenterInfo),
    api_path("appCommonApi/getLoanApplyInfoList", servicing.GetLoanApplyInfoList),
    api_path("appCommonApi/getLoanApplyRepayList", servicing.GetLoanApplyRepayList),
    api_path("appCommonApi/gotoRepayment", servicing.GotoRepayment),
    path("open/loanContract/<uuid:loan_id>", views.loan_contract, name="loan_contract"),
    path("open/loanContract/<uuid:loan_id>/", views.loan_contract),
]

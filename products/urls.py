from cashloan.api.urls import api_path

from . import apis

urlpatterns = [
    api_path("openCommonApi/getLoanProductList", apis.GetLoanProductList),
    api_path("openCommonApi/getLoanProductDetails", apis.GetLoanProductDetails),
]

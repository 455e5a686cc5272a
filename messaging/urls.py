from django.urls import re_path

from cashloan.api.urls import api_path

from . import apis, views

urlpatterns = [
    api_path("appCommonApi/getCustomMessage", apis.GetCustomMessage),
    api_path("openCommonApi/getSystemMessage", apis.GetSystemMessage),
    re_path(r"^open/registrationProtocol/?$", views.registration_protocol, name="registration_protocol"),
    re_path(r"^open/loanHelp/?$", views.loan_help, name="loan_help"),
]

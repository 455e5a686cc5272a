from cashloan.api.urls import api_path

from . import apis

urlpatterns = [
    api_path("security/login", apis.Login),
    api_path("openApi/getCode", apis.GetCode),
    api_path("openApi/getSmsCode", apis.GetSmsCode),
    api_path("openApi/checkSmsCode", apis.CheckSmsCode),
    api_path("openApi/userRegister", apis.UserRegister),
    api_path("openApi/forgetPwdGetSmsCode", apis.ForgetPwdGetSmsCode),
    api_path("openApi/forgetPwdCheckSmsCode", apis.ForgetPwdCheckSmsCode),
    api_path("openApi/forgetPwdIdentityAuth", apis.ForgetPwdIdentityAuth),
    api_path("openApi/userResetPwd", apis.UserResetPwd),
    api_path("appApi/modifyPwd", apis.ModifyPwd),
    api_path("appApi/commitSuggestion", apis.CommitSuggestion),
    api_path("appApi/appVersionDetection", apis.AppVersionDetection),
    api_path("appApi/quitMobileLogin", apis.QuitMobileLogin),
    api_path("appCommonApi/getAuthenticationStatus", apis.GetAuthenticationStatus),
    api_path("appCommonApi/authUserBankCard", apis.AuthUserBankCard),
    api_path("appCommonApi/authUserMobile", apis.AuthUserMobile),
    api_path("appCommonApi/authRealNameInfo", apis.AuthRealNameInfo),
    api_path("appCommonApi/getPerfectUserInfo", apis.GetPerfectUserInfo),
    api_path("appCommonApi/savePerfectUserInfo", apis.SavePerfectUserInfo),
    api_path("appCommonApi/saveOrUpdateRelShip", apis.SaveOrUpdateRelShip),
]

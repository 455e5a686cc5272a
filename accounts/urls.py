from cashloan.api.urls import api_path

from .apis import app, passwords, personal_info, sessions, sms_codes, verification

urlpatterns = [
    api_path("security/login", sessions.Login),
    api_path("openApi/getCode", sms_codes.GetCode),
    api_path("openApi/getSmsCode", sms_codes.GetSmsCode),
    api_path("openApi/checkSmsCode", sms_codes.CheckSmsCode),
    api_path("openApi/userRegister", passwords.UserRegister),
    api_path("openApi/forgetPwdGetSmsCode", sms_codes.ForgetPwdGetSmsCode),
    api_path("openApi/forgetPwdCheckSmsCode", sms_codes.ForgetPwdCheckSmsCode),
    api_path("openApi/forgetPwdIdentityAuth", passwords.ForgetPwdIdentityAuth),
    api_path("openApi/userResetPwd", passwords.UserResetPwd),
    api_path("appApi/modifyPwd", passwords.ModifyPwd),
    api_path("appApi/commitSuggestion", app.CommitSuggestion),
    api_path("appApi/appVersionDetection", app.AppVersionDetection),
    api_path("appApi/quitMobileLogin", sessions.QuitMobileLogin),
    api_path("appCommonApi/getAuthenticationStatus", verification.GetAuthenticationStatus),
    api_path("appCommonApi/authUserBankCard", verification.AuthUserBankCard),
    api_path("appCommonApi/authUserMobile", verification.AuthUserMobile),
    api_path("appCommonApi/authRealNameInfo", verification.AuthRealNameInfo),
    api_path("appCommonApi/getPerfectUserInfo", personal_info.GetPerfectUserInfo),
    api_path("appCommonApi/savePerfectUserInfo", personal_info.SavePerfectUserInfo),
    api_path("appCommonApi/saveOrUpdateRelShip", personal_info.SaveOrUpdateRelShip),
]

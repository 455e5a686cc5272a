"""Response codes of the accounts endpoints (seed §4, §7–§19, §30–§35; CONTRACT §4).

The seed reuses ``10001000`` for several meanings (malformed request, mobile already
registered, not registered, bad format, no such account): the message tells them apart.
"""

from cashloan.api.codes import MALFORMED_REQUEST  # noqa: F401  (codes.MALFORMED_REQUEST for the seed's 10001000)

# §4 login
LOGIN_OK = "90000000"
LOGIN_NO_ACCOUNT = "90001000"
LOGIN_WRONG_PASSWORD = "90002000"
LOGIN_LOCKED = "90003000"
LOGIN_FAILED = "90009000"

# §7 captcha: 0000; §8/§11 captcha check
CAPTCHA_WRONG = "10002001"
CAPTCHA_EXPIRED = "10002002"

# §8 / §11 SMS sending
SMS_SENT = "20001000"
SMS_SEND_FAILED = "20001001"  # never answered: delivery is asynchronous (the task retries)

# §9 / §12 SMS checking
SMS_CODE_TIMEOUT = "20002004"
SMS_CODE_WRONG = "20002005"
SMS_CODE_OK = "20002006"

# §10, §14, §15, §16, §17, §18
REGISTER_OK = "20003000"
REGISTER_FAILED = "20003001"
RESET_OK = "20003002"
RESET_FAILED = "20003003"
MODIFY_OK = "20003004"
MODIFY_FAILED = "20003005"
MODIFY_WRONG_OLD_PASSWORD = "20003015"
SUGGESTION_OK = "20003006"
SUGGESTION_FAILED = "20003007"
VERSION_OK = "20003008"
VERSION_NONE = "20003009"
LOGOUT_OK = "20003010"

# §13 (the seed's codes; loans reuse 20004000 for other meanings)
IDENTITY_OK = "20004000"
IDENTITY_FAILED = "20004001"

# §19, §30–§35: the seed says "0000 验证成功 9999 验证失败" for these sections.
VERIFICATION_FAILED = "9999"

MESSAGE_MOBILE_REGISTERED = "手机号码已注册"
MESSAGE_MOBILE_NOT_REGISTERED = "手机号码未注册"
MESSAGE_MOBILE_FORMAT = "手机号码格式错误"
MESSAGE_NO_ACCOUNT = "账号不存在"

"""Fixtures of the accounts tests: SMS read back from the file backend, signed-up customers."""

import pytest

from tests.factories import encrypt_password

from .helpers import sms_codes


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


class Steps:
    """The app's screens as calls: captcha, SMS code, check, register, reset."""

    def __init__(self, api, sms_file, capture_on_commit):
        self.api = api
        self.sms_file = sms_file
        self.capture_on_commit = capture_on_commit

    def captcha(self) -> str:
        reply = self.api.post("/openApi/getCode")
        assert reply.code == "0000", reply.body
        return reply.result

    def send_code(self, mobile: str, *, reset: bool = False, captcha: str | None = None, **extra):
        path = "/openApi/forgetPwdGetSmsCode" if reset else "/openApi/getSmsCode"
        captcha = captcha if captcha is not None else self.captcha()
        with self.capture_on_commit(execute=True):  # SMS leave after commit
            return self.api.post(path, {"mobile": mobile, "code": captcha}, **extra)

    def last_code(self, mobile: str) -> str:
        return sms_codes(self.sms_file, mobile)[-1]

    def check_code(self, mobile: str, code: str, *, reset: bool = False):
        path = "/openApi/forgetPwdCheckSmsCode" if reset else "/openApi/checkSmsCode"
        return self.api.post(path, {"mobile": mobile, "smscode": code})

    def verified_code(self, mobile: str, *, reset: bool = False):
        reply = self.send_code(mobile, reset=reset)
        assert reply.code == "20001000", reply.body
        reply = self.check_code(mobile, self.last_code(mobile), reset=reset)
        assert reply.code == "20002006", reply.body

    def register(self, mobile: str, password: str, confirm: str | None = None):
        payload = {"mobile": mobile, "password": encrypt_password(password), "confirmPassword": encrypt_password(confirm or password)}
        return self.api.post("/openApi/userRegister", payload)

    def reset(self, mobile: str, password: str, confirm: str | None = None):
        payload = {"mobile": mobile, "password": encrypt_password(password), "confirmPassword": encrypt_password(confirm or password)}
        return self.api.post("/openApi/userResetPwd", payload)


@pytest.fixture
def steps(api, sms_file, django_capture_on_commit_callbacks):
    return Steps(api, sms_file, django_capture_on_commit_callbacks)

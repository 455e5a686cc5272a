"""Feedback (seed §16) and version detection (§17)."""

import pytest

from accounts.models import AppVersion, Feedback
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class TestCommitSuggestion:
    def test_stored_without_login(self, api):
        """§16: 20003006; mobile, source and text are kept."""
        reply = api.post("/appApi/commitSuggestion", {"mobile": "13709812611", "source": "2", "suggestion": "goodapp"})
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("0000", "20003006", "意见反馈成功")
        feedback = Feedback.objects.get()
        assert (feedback.mobile, feedback.source, feedback.suggestion, feedback.user) == ("13709812611", "2", "goodapp", None)

    def test_logged_in_user_is_recorded(self, api):
        user = UserFactory()
        api.login(user.mobile, "secret123")
        api.post("/appApi/commitSuggestion", {"mobile": user.mobile, "source": "1", "suggestion": "很好用"})
        assert Feedback.objects.get().user == user

    def test_bad_mobile(self, api):
        reply = api.post("/appApi/commitSuggestion", {"mobile": "1370981261", "source": "2", "suggestion": "x"})
        assert (reply.code, reply.body["responseMessage"]) == ("10001000", "手机号码格式错误")
        assert not Feedback.objects.exists()

    def test_too_long(self, api):
        reply = api.post("/appApi/commitSuggestion", {"mobile": "13709812611", "source": "2", "suggestion": "长" * 1001})
        assert reply.code == "20003007"
        assert not Feedback.objects.exists()

    @pytest.mark.parametrize("missing", ["mobile", "source", "suggestion"])
    def test_missing_field(self, api, missing):
        payload = {"mobile": "13709812611", "source": "2", "suggestion": "goodapp"}
        del payload[missing]
        assert api.post("/appApi/commitSuggestion", payload).code == "10001000"
        assert not Feedback.objects.exists()


class TestAppVersionDetection:
    def test_latest_version_of_the_type(self, api):
        """§17: 20003008 with the highest versionCode of that appType."""
        AppVersion.objects.create(app_type="1", version_code=100, version_name="1.0.0", download_url="https://example.com/a.apk")
        AppVersion.objects.create(
            app_type="1", version_code=120, version_name="1.2.0", download_url="https://example.com/b.apk",
            force_update=True, description="修复问题",
        )
        AppVersion.objects.create(app_type="2", version_code=200, version_name="2.0.0", download_url="https://example.com/ios")
        reply = api.post("/appApi/appVersionDetection", {"appType": "1"})
        assert (reply.body["exceptionFlag"], reply.code) == ("0000", "20003008")
        assert reply.result == {
            "versionCode": "120", "versionName": "1.2.0", "downloadUrl": "https://example.com/b.apk",
            "forceUpdate": "1", "description": "修复问题",
        }

    def test_none_for_that_type(self, api):
        AppVersion.objects.create(app_type="1", version_code=100, version_name="1.0.0", download_url="https://example.com/a.apk")
        reply = api.post("/appApi/appVersionDetection", {"appType": "2"})
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "20003009")

    @pytest.mark.parametrize("payload", [{}, {"appType": "4"}, {"appType": ""}, {"appType": ["1"]}])
    def test_missing_or_bad_app_type(self, api, payload):
        assert api.post("/appApi/appVersionDetection", payload).code == "10001000"

"""Seed §16 (commitSuggestion) and §17 (appVersionDetection)."""

from rest_framework import serializers

from cashloan.api.errors import ApiError
from cashloan.api.views import ApiView

from .. import codes, schemas, selectors
from ..models import AppType
from ..services import feedback
from .common import logged_in_user, text_field


class SuggestionInput(serializers.Serializer):
    mobile = text_field(20)
    source = text_field(20)
    suggestion = serializers.CharField(max_length=5000)


class CommitSuggestion(ApiView):
    """§16 意见反馈：保存反馈内容（1–1000 字），登录时关联到该用户。"""

    input_serializer = SuggestionInput
    success_code = codes.SUGGESTION_OK
    success_message = "意见反馈成功"
    response_codes = {
        codes.MALFORMED_REQUEST: "请求报文传输信息有误；手机号码格式错误",
        codes.SUGGESTION_FAILED: "意见反馈失败（内容为空或过长）",
    }

    def handle(self, request, data):
        feedback.submit_feedback(
            mobile=data["mobile"], source=data["source"], suggestion=data["suggestion"], user=logged_in_user(request)
        )
        return ""


class VersionInput(serializers.Serializer):
    appType = serializers.ChoiceField(choices=AppType.values)


class AppVersionDetection(ApiView):
    """§17 版本检测：该 appType 的最新版本（seed 的 resultSet 为空，这里返回版本信息）。"""

    input_serializer = VersionInput
    success_code = codes.VERSION_OK
    success_message = "版本检测成功"
    result_serializer = schemas.AppVersionResult
    response_codes = {codes.VERSION_NONE: "版本检测失败，暂无该类型的版本信息"}

    def handle(self, request, data):
        version = selectors.latest_app_version(data["appType"])
        if version is None:
            raise ApiError("版本检测失败，暂无该类型的版本信息", code=codes.VERSION_NONE)
        return schemas.app_version_result(version)

"""Seed §33 (getPerfectUserInfo), §34 (savePerfectUserInfo) and §35 (saveOrUpdateRelShip)."""

from rest_framework import serializers

from cashloan.api.views import ApiView

from .. import codes, schemas, selectors
from ..inputs import PERSONAL_INFO_KEYS, parse_contact, parse_personal_info
from ..services import personal_info
from .common import VERIFICATION_REFUSED, text_field


class GetPerfectUserInfo(ApiView):
    """§33 完善信息-查看：基本、工作信息和联系人（relShipList）。"""

    login_required = True
    success_message = "获取当前登录用户详细信息"
    result_serializer = schemas.PerfectUserInfoResult

    def handle(self, request, data):
        return schemas.perfect_user_info_result(*selectors.personal_file(request.user))


PersonalInfoInput = type(
    "PersonalInfoInput", (serializers.Serializer,), {key: text_field(200) for key in PERSONAL_INFO_KEYS}
)


class SavePerfectUserInfo(ApiView):
    """§34 完善信息保存：基本信息和工作信息，枚举和地区编码须取 seed 的值。"""

    input_serializer = PersonalInfoInput
    login_required = True
    success_message = "完善个人信息成功"
    response_codes = {codes.MALFORMED_REQUEST: "请求报文传输信息有误（含取值错误的字段名）"}

    def handle(self, request, data):
        personal_info.save_personal_info(request.user, parse_personal_info(data))
        return ""


class ContactInput(serializers.Serializer):
    id = text_field(64, required=False, allow_blank=True, allow_null=True)
    operType = text_field(10)
    relType = text_field(2)
    realName = text_field(50)
    phoneNum = text_field(20)


class SaveOrUpdateRelShip(ApiView):
    """§35 新增、修改联系人信息：operType add 新建（最多 10 个），update 修改本人的联系人。"""

    input_serializer = ContactInput
    login_required = True
    success_message = "完善联系人信息成功"
    response_codes = {
        codes.MALFORMED_REQUEST: "请求报文传输信息有误（含取值错误的字段名）",
        **VERIFICATION_REFUSED,
    }

    def handle(self, request, data):
        personal_info.save_contact(request.user, **parse_contact(data))
        return ""

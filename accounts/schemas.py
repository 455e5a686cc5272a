"""The accounts endpoints' ``resultSet`` (seed §4, §7, §17, §19, §32, §33): each serializer (or
JSON schema) describes one shape for the OpenAPI description, and the function below it
builds that shape from what ``accounts.selectors`` read.
"""

from rest_framework import serializers

from cashloan.api.schema import choice, digits, flag, money, text
from cashloan.money import money_str

from .inputs import ENUM_FIELDS, REGION_FIELDS, TEXT_FIELDS
from .models import (
    AppVersion,
    Contact,
    Duration,
    Education,
    Industry,
    MaritalStatus,
    PersonalInfo,
    RelationType,
    User,
)
from .selectors import VerificationFile

SESSION_ID = {"type": "string", "pattern": r"^[A-Za-z0-9]{1,64}$", "description": "会话凭证（sessionId，亦可作 Authorization: Bearer）"}
CAPTCHA = {"type": "string", "pattern": r"^[a-z2-9]{4}$", "description": "图形验证码（2 分钟内有效，一次有效）"}
MOBILE_AUTH_STATUS = {"type": "string", "enum": ["0", "1"], "description": "手机实名认证状态 0：未认证 1：已认证"}

_TWO_DIGIT_ENUMS = {"residenceLength", "workingHours"}


def _flag(value: bool) -> str:
    return "1" if value else "0"


def mobile_auth_status_result(user: User) -> str:
    """§32's resultSet, of the row ``accounts.services.verification.verify_real_name`` has just re-read."""
    return _flag(user.mobile_verified)


def _two_digits(values) -> list[str]:
    return [f"{value:02d}" for value in values]


class AppVersionResult(serializers.Serializer):
    """§17: the latest version of the asked app type."""

    versionCode = digits("版本号（整数，越大越新）")
    versionName = text("版本名称，例如 1.2.0")
    downloadUrl = text("下载地址")
    forceUpdate = flag("是否强制更新 0：否 1：是")
    description = text("更新说明")


def app_version_result(version: AppVersion) -> dict:
    return {
        "versionCode": str(version.version_code),
        "versionName": version.version_name,
        "downloadUrl": version.download_url,
        "forceUpdate": _flag(version.force_update),
        "description": version.description,
    }



class AuthenticationStatusResult(serializers.Serializer):
    """§19: the four verification steps and the risk flags; numbers only once verified."""

    realNameAuthStatus = flag("身份信息认证 0：未认证 1：已认证")
    bankCardAuthStatus = flag("银行卡认证 0：未认证 1：已认证")
    customerInfoStatus = flag("完善个人信息 0：未认证 1：已认证")
    mobileAuthStatus = flag("手机认证 0：未认证 1：已认证")
    isBlackList = flag("黑名单 0：否 1：是")
    isRisk = flag("风险客户 0：否 1：是")
    authRealName = text("姓名（身份认证后才有值）")
    authNumber = text("身份证号（身份认证后才有值）")
    bankCardNumber = text("银行卡号（银行卡认证后才有值）")
    bankCardMobile = text("银行卡预留手机号（银行卡认证后才有值）")


def authentication_status_result(file: VerificationFile) -> dict:
    """§19: the owner's own read, so the numbers are shown in full."""
    user, identity, card = file.user, file.identity, file.bank_card
    return {
        "realNameAuthStatus": _flag(user.real_name_verified),
        "bankCardAuthStatus": _flag(user.bank_card_verified),
        "customerInfoStatus": _flag(user.info_completed),
        "mobileAuthStatus": _flag(user.mobile_verified),
        "isBlackList": _flag(user.is_blacklisted),
        "isRisk": _flag(user.is_risk),
        "authRealName": (identity.real_name if identity else user.real_name) if user.real_name_verified else "",
        "authNumber": identity.id_number if identity and user.real_name_verified else "",
        "bankCardNumber": card.card_number if card and user.bank_card_verified else "",
        "bankCardMobile": card.reserved_mobile if card and user.bank_card_verified else "",
    }



class ContactResult(serializers.Serializer):
    """§33 ``relShipList``: one emergency contact."""

    id = text("联系人记录 ID")
    relType = choice(RelationType.values, "1：父母 2：子女 3：兄弟姐妹 4：同事 6：朋友 7：配偶 9：祖父母")
    realName = text("姓名")
    phoneNum = text("手机号")


class PerfectUserInfoResult(serializers.Serializer):
    """§33: personal, address and work information ("" before it is saved) and the contacts.

    The keys are the seed's, snake_case and camelCase mixed as it shows them.
    """

    education = choice(Education.values, "学历 1–7", optional=True)
    maritalStatus = choice(MaritalStatus.values, "婚姻状况 1–4", optional=True)
    residenceLength = choice(_two_digits(Duration.values), "居住时长 01–05", optional=True)
    industryType = choice(Industry.values, "行业 1–14", optional=True)
    workingHours = choice(_two_digits(Duration.values), "工作时长 01–05", optional=True)
    payrollDay = choice(range(1, 32), "工资发放日（1~31 日）", optional=True)
    registry_province = text("户籍所在省")
    registry_city = text("户籍所在市")
    house_address_province = text("居住省份")
    house_address_city = text("居住城市")
    house_address_county = text("居住区")
    work_address_province = text("单位地址-省")
    work_address_city = text("单位地址-市")
    work_address_county = text("单位地址-区")
    registry_detail = text("户籍所在详情")
    house_address_detail = text("现住址详细地址")
    work_address_detail = text("单位地址-详细")
    currentWorkInfo = text("单位名称")
    currentPosition = text("职位")
    monthIncome = money("月收入", optional=True)
    relShipList = ContactResult(many=True, help_text="联系人集合")


def _enum_text(key: str, value: int) -> str:
    return f"{value:02d}" if key in _TWO_DIGIT_ENUMS else str(value)


def perfect_user_info_result(info: PersonalInfo | None, contacts: list[Contact]) -> dict:
    """§33 with the seed's keys exactly (snake_case and camelCase mixed as it shows them)."""
    result: dict = {}
    for key, (name, _) in ENUM_FIELDS.items():
        result[key] = _enum_text(key, getattr(info, name)) if info else ""
    for key, name in REGION_FIELDS.items():
        result[key] = getattr(info, name) if info else ""
    for key, (name, _) in TEXT_FIELDS.items():
        result[key] = getattr(info, name) if info else ""
    result["monthIncome"] = money_str(info.month_income) if info else ""
    result["relShipList"] = [
        {"id": str(contact.id), "relType": str(contact.rel_type), "realName": contact.real_name, "phoneNum": contact.phone_num}
        for contact in contacts
    ]
    return result

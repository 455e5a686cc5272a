"""The shapes of the accounts endpoints' ``resultSet`` (seed §4, §7, §17, §19, §32, §33), for the
OpenAPI description only: the selectors build the dicts, these classes describe them.
"""

from rest_framework import serializers

from cashloan.api.schema import choice, digits, flag, money, text

from .models import Duration, Education, Industry, MaritalStatus, RelationType

SESSION_ID = {"type": "string", "pattern": r"^[A-Za-z0-9]{1,64}$", "description": "会话凭证（sessionId，亦可作 Authorization: Bearer）"}
CAPTCHA = {"type": "string", "pattern": r"^[a-z2-9]{4}$", "description": "图形验证码（2 分钟内有效，一次有效）"}
MOBILE_AUTH_STATUS = {"type": "string", "enum": ["0", "1"], "description": "手机实名认证状态 0：未认证 1：已认证"}


def _two_digits(values) -> list[str]:
    return [f"{value:02d}" for value in values]


class AppVersionResult(serializers.Serializer):
    """§17: the latest version of the asked app type."""

    versionCode = digits("版本号（整数，越大越新）")
    versionName = text("版本名称，例如 1.2.0")
    downloadUrl = text("下载地址")
    forceUpdate = flag("是否强制更新 0：否 1：是")
    description = text("更新说明")


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


"""Seed §22 (getLoanApplyConfirmInfo) and §23 (loanProductApply).

The serializers check presence and JSON type only (``10001000``); the §22.4 format and limit
codes come from ``loans.quotes`` so that the quote and the application answer alike.
"""

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.services.sessions import session_device_token
from cashloan.api.codes import MALFORMED_REQUEST
from cashloan.api.views import ApiView
from products import codes as quote_codes
from products.rules import OTHER_CHANNELS_DATA, PURPOSE_DATA

from .. import codes, schemas
from ..applications import ApplicantDetails, apply_for_loan
from ..quotes import parse_code, quote_loan

OTHER_CHANNEL_CODES = frozenset(int(code) for code in OTHER_CHANNELS_DATA)


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}]})
class ScalarField(serializers.Field):
    """A string or an integer, passed through as sent (the quote checks its format)."""

    default_error_messages = {"invalid": "须为字符串或整数"}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, int)):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class QuoteRequestSerializer(serializers.Serializer):
    productId = serializers.CharField(max_length=64)
    amount = ScalarField()
    interestRate = ScalarField()
    termCount = ScalarField()
    termUnit = ScalarField()
    repayTermCount = ScalarField()
    repayTermUnit = ScalarField()
    repayType = ScalarField()


# A telephone number as a phone book holds it: digits, a leading +, spaces or hyphens between
# digits ("+86 138-0000-0001", "010-12345678", "95588"), 3 to 20 digits.
PHONE_PATTERN = re.compile(r"\A\+?[0-9](?:[0-9 -]*[0-9])?\Z", re.ASCII)
PHONE_DIGITS = (3, 20)
# Coordinates as the app sends them: a decimal string (the seed's own sample is "12579.66").
COORDINATE_PATTERN = re.compile(r"\A[+-]?[0-9]{1,15}(?:\.[0-9]{1,15})?\Z", re.ASCII)
COORDINATE_MAX_LENGTH = 32
ORDER_ID_PATTERN = re.compile(r"\A[A-Za-z0-9_-]{1,64}\Z", re.ASCII)

PHONE_SHAPE = "电话号码：3–20 位数字，可带开头的 +，数字间可有空格或 -"
COORDINATE_SHAPE = "十进制数字字符串，最长 32 个字符，如 \"121.4737\""


def phone_field(max_length: int, **kwargs) -> serializers.RegexField:
    return serializers.RegexField(PHONE_PATTERN, max_length=max_length, validators=[_phone_digits], **kwargs)


def _phone_digits(value: str) -> None:
    digits = sum(character.isdigit() for character in value)
    if value and not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise serializers.ValidationError(PHONE_SHAPE)


class PhonebookEntrySerializer(serializers.Serializer):
    contactName = serializers.CharField(max_length=50, allow_blank=True)
    contactPhone = phone_field(30)


class ApplyRequestSerializer(QuoteRequestSerializer):
    longitude = serializers.RegexField(COORDINATE_PATTERN, max_length=COORDINATE_MAX_LENGTH)
    latitude = serializers.RegexField(COORDINATE_PATTERN, max_length=COORDINATE_MAX_LENGTH)
    orderId = serializers.RegexField(ORDER_ID_PATTERN, max_length=64)
    purpose = ScalarField()
    otherChannels = ScalarField()
    phonebookList = serializers.ListField(child=PhonebookEntrySerializer(), allow_empty=True, max_length=10_000)
    remark = serializers.CharField(max_length=500, required=False, allow_blank=True, allow_null=True, default="")
    contactName = serializers.CharField(max_length=50, required=False, allow_blank=True, allow_null=True, default="")
    contactPhone = phone_field(20, required=False, allow_blank=True, allow_null=True, default="")

    # What a refusal (10001000) tells the app each field must look like (issue 10 item 16).
    field_shapes = {
        "longitude": COORDINATE_SHAPE,
        "latitude": COORDINATE_SHAPE,
        "orderId": "运营商认证的订单号：1–64 位字母、数字、_ 或 -",
        "phonebookList": f"数组（可为空，最多 10000 项），每项为 {{\"contactName\": 姓名（最长 50，可为空）, \"contactPhone\": {PHONE_SHAPE}}}",
        "contactPhone": f"{PHONE_SHAPE}（可省略）",
        "contactName": "姓名，最长 50 个字符（可省略）",
        "remark": "备注，最长 500 个字符（可省略）",
        "purpose": "借款用途 15–22",
        "otherChannels": "其他渠道借款信息 01–03",
    }

    def validate_purpose(self, value) -> str:
        """15–22 (seed §23.2); ``15`` and ``"15"`` alike."""
        text = str(value)
        if not re.fullmatch(r"\d{2}", text, re.ASCII) or text not in PURPOSE_DATA:
            raise serializers.ValidationError("借款用途须为 15–22")
        return text

    def validate_otherChannels(self, value) -> str:
        """01–03; ``"1"``, ``"01"`` and ``1`` alike, stored as ``"01"``."""
        number = parse_code(value, OTHER_CHANNEL_CODES)
        if number is None:
            raise serializers.ValidationError("其他渠道借款信息须为 01–03")
        return f"{number:02d}"


QUOTE_CODES = {
    MALFORMED_REQUEST: "请求报文传输信息有误；产品不存在、已下架或暂不可申请",
    **quote_codes.MESSAGES,
}


class GetLoanApplyConfirmInfo(ApiView):
    """§22 获取申请确认页面信息: the quote, checked in CONTRACT §8 order, with a schedule preview."""

    login_required = True
    input_serializer = QuoteRequestSerializer
    success_message = "获取产品申请确认信息成功"
    result_serializer = schemas.QuoteResult
    response_codes = QUOTE_CODES

    def handle(self, request, data):
        return schemas.quote_result(quote_loan(data["productId"], data, cached_product=True))


class LoanProductApply(ApiView):
    """§23 提交贷款申请. ``resultSet`` is the new application's id (the seed's sample echoes the code)."""

    login_required = True
    input_serializer = ApplyRequestSerializer
    success_code = codes.APPLIED
    success_message = "提交贷款申请成功"
    result_schema = schemas.APPLICATION_ID
    response_codes = {
        **QUOTE_CODES,
        codes.APPLY_FAILED: "贷款申请失败",
        codes.NOT_VERIFIED: "贷款申请被拒：认证未完成",
        codes.BLOCKED: "贷款申请被拒：黑名单或风险客户",
        codes.UNFINISHED_LOAN: "贷款申请被拒：有未结清的借款",
        codes.ABOVE_CREDIT: "贷款申请被拒：超出可用额度",
    }

    def handle(self, request, data):
        details = ApplicantDetails(
            longitude=data["longitude"],
            latitude=data["latitude"],
            operator_order_id=data["orderId"],
            purpose=data["purpose"],
            other_channels=data["otherChannels"],
            phonebook=[dict(entry) for entry in data["phonebookList"]],
            remark=data.get("remark") or "",
            contact_name=data.get("contactName") or "",
            contact_phone=data.get("contactPhone") or "",
        )
        application = apply_for_loan(
            user=request.user, product_id=data["productId"], terms=data, details=details, device_token=session_device_token(request)
        )
        return schemas.application_id_result(application)

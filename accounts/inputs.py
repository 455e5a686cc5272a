"""Parsing personal information and contacts against the seed's enumerations (§33–§35).

Enumerations accept ``"1"`` and ``"01"`` alike and are stored as integers; anything outside
the seed's lists is a malformed request (10001000) naming the fields.
"""

import re
import uuid
from decimal import Decimal, InvalidOperation

from cashloan.api.errors import MalformedRequest

from . import validators
from .models import Duration, Education, Industry, MaritalStatus, RelationType

_REGION_RE = re.compile(r"\A[1-9]\d{5}\Z", re.ASCII)
_AMOUNT_RE = re.compile(r"\A\d{1,10}(\.\d{1,2})?\Z", re.ASCII)

# API key → (model field, parser)
ENUM_FIELDS = {
    "education": ("education", Education.values),
    "maritalStatus": ("marital_status", MaritalStatus.values),
    "residenceLength": ("residence_length", Duration.values),
    "industryType": ("industry_type", Industry.values),
    "workingHours": ("working_hours", Duration.values),
    "payrollDay": ("payroll_day", list(range(1, 32))),
}
REGION_FIELDS = {
    "registry_province": "registry_province",
    "registry_city": "registry_city",
    "house_address_province": "house_province",
    "house_address_city": "house_city",
    "house_address_county": "house_county",
    "work_address_province": "work_province",
    "work_address_city": "work_city",
    "work_address_county": "work_county",
}
TEXT_FIELDS = {  # API key → (model field, max length)
    "registry_detail": ("registry_detail", 200),
    "house_address_detail": ("house_detail", 200),
    "work_address_detail": ("work_detail", 200),
    "currentWorkInfo": ("company_name", 100),
    "currentPosition": ("position", 50),
}
PERSONAL_INFO_KEYS = [*ENUM_FIELDS, *REGION_FIELDS, *TEXT_FIELDS, "monthIncome"]


def parse_enum(value: str, allowed) -> int | None:
    value = value.strip()
    # ASCII only: "³".isdigit() is true, but int("³") raises.
    if not (value.isascii() and value.isdigit()) or len(value) > 2:
        return None
    number = int(value)
    return number if number in allowed else None


def parse_amount(value: str) -> Decimal | None:
    value = value.strip()
    if not _AMOUNT_RE.match(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def parse_personal_info(data: dict) -> dict:
    """API payload (all strings) → PersonalInfo field values; 10001000 naming every bad field."""
    fields, bad = {}, []
    for key, (name, allowed) in ENUM_FIELDS.items():
        number = parse_enum(data[key], allowed)
        if number is None:
            bad.append(key)
        fields[name] = number
    for key, name in REGION_FIELDS.items():
        if not _REGION_RE.match(data[key].strip()):
            bad.append(key)
        fields[name] = data[key].strip()
    for key, (name, max_length) in TEXT_FIELDS.items():
        text = data[key].strip()
        if not text or len(text) > max_length:
            bad.append(key)
        fields[name] = text
    fields["month_income"] = parse_amount(data["monthIncome"])
    if fields["month_income"] is None:
        bad.append("monthIncome")
    if bad:
        raise MalformedRequest(f"请求报文传输信息有误：{'、'.join(bad)} 取值错误")
    return fields


def parse_contact(data: dict) -> dict:
    bad = []
    oper_type = data["operType"].strip()
    if oper_type not in ("add", "update"):
        bad.append("operType")
    contact_id = None
    if oper_type == "update":
        try:
            contact_id = uuid.UUID((data.get("id") or "").strip())
        except ValueError:
            bad.append("id")
    rel_type = parse_enum(data["relType"], RelationType.values)
    if rel_type is None:
        bad.append("relType")
    real_name = validators.normalise_name(data["realName"])
    if not validators.is_person_name(real_name):
        bad.append("realName")
    phone_num = data["phoneNum"].strip()
    if not validators.is_mobile(phone_num):
        bad.append("phoneNum")
    if bad:
        raise MalformedRequest(f"请求报文传输信息有误：{'、'.join(bad)} 取值错误")
    return {"oper_type": oper_type, "contact_id": contact_id, "rel_type": rel_type, "real_name": real_name, "phone_num": phone_num}

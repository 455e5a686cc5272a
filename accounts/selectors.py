"""Reads of accounts, shaped as the seed's resultSets (§17, §19, §33)."""

from cashloan.money import money_str

from .inputs import ENUM_FIELDS, REGION_FIELDS, TEXT_FIELDS
from .models import AppVersion, BankCard, Contact, Identity, PersonalInfo, User

_TWO_DIGIT_ENUMS = {"residenceLength", "workingHours"}


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _one_to_one(user: User, name: str):
    try:
        return getattr(user, name)
    except (Identity.DoesNotExist, BankCard.DoesNotExist):
        return None


def authentication_status(user: User) -> dict:
    """§19: the owner's own read, so the numbers are shown in full.

    One query: the account's fresh row with its identity and bank card joined.
    """
    user = User.objects.select_related("identity", "bank_card").get(pk=user.pk)
    identity = _one_to_one(user, "identity")
    card = _one_to_one(user, "bank_card")
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


def mobile_auth_status(user: User) -> str:
    """§32's resultSet, of the row ``accounts.services.verify_real_name`` has just re-read."""
    return _flag(user.mobile_verified)


def _enum_text(key: str, value: int) -> str:
    return f"{value:02d}" if key in _TWO_DIGIT_ENUMS else str(value)


def perfect_user_info(user: User) -> dict:
    """§33 with the seed's keys exactly (snake_case and camelCase mixed as it shows them)."""
    info = PersonalInfo.objects.filter(user=user).first()
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
        for contact in Contact.objects.filter(user=user)
    ]
    return result


def latest_app_version(app_type: str) -> dict | None:
    version = AppVersion.objects.filter(app_type=app_type).order_by("-version_code").first()
    if version is None:
        return None
    return {
        "versionCode": str(version.version_code),
        "versionName": version.version_name,
        "downloadUrl": version.download_url,
        "forceUpdate": _flag(version.force_update),
        "description": version.description,
    }

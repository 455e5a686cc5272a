"""Reads of accounts (§17, §19, §32, §33); ``accounts.schemas`` shapes them as the seed's resultSets."""

from dataclasses import dataclass

from .models import AppVersion, BankCard, Contact, Identity, PersonalInfo, User


@dataclass(frozen=True)
class VerificationFile:
    user: User  # the account's fresh row
    identity: Identity | None
    bank_card: BankCard | None


def _one_to_one(user: User, name: str):
    try:
        return getattr(user, name)
    except (Identity.DoesNotExist, BankCard.DoesNotExist):
        return None


def verification_file(user: User) -> VerificationFile:
    """One query: the account's fresh row with its identity and bank card joined."""
    user = User.objects.select_related("identity", "bank_card").get(pk=user.pk)
    return VerificationFile(user, _one_to_one(user, "identity"), _one_to_one(user, "bank_card"))


def personal_file(user: User) -> tuple[PersonalInfo | None, list[Contact]]:
    """The customer's personal information (None before it is saved) and contacts."""
    return PersonalInfo.objects.filter(user=user).first(), list(Contact.objects.filter(user=user))


def latest_app_version(app_type: str) -> AppVersion | None:
    return AppVersion.objects.filter(app_type=app_type).order_by("-version_code").first()

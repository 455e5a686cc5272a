"""Personal information and contacts (§34, §35).

Business refusals raise :class:`cashloan.api.errors.ApiError` with the seed's code.
"""

from django.db import transaction

from ..models import Contact, PersonalInfo, User
from .verification import refused

MAX_CONTACTS = 10


def save_personal_info(user: User, fields: dict) -> PersonalInfo:
    """``fields`` are model field values, already parsed by :mod:`accounts.inputs`."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        info, _ = PersonalInfo.objects.update_or_create(user=locked, defaults=fields)
        _refresh_info_completed(locked)
    return info


def save_contact(user: User, *, oper_type: str, contact_id, rel_type: int, real_name: str, phone_num: str) -> Contact:
    if phone_num == user.mobile:
        raise refused("联系人手机号不能是本人手机号")
    values = {"rel_type": rel_type, "real_name": real_name, "phone_num": phone_num}
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if oper_type == "add":
            if Contact.objects.filter(user=locked).count() >= MAX_CONTACTS:
                raise refused(f"联系人最多{MAX_CONTACTS}个")
            contact = Contact.objects.create(user=locked, **values)
        else:
            contact = Contact.objects.filter(user=locked, pk=contact_id).first()
            if contact is None:
                raise refused("联系人不存在")
            for name, value in values.items():
                setattr(contact, name, value)
            contact.save(update_fields=[*values, "updated_at"])
        _refresh_info_completed(locked)
    return contact


def _refresh_info_completed(user: User) -> None:
    """Only ever raises the flag: staff may set it by hand, and nothing here deletes data."""
    if user.info_completed:
        return
    if PersonalInfo.objects.filter(user=user).exists() and Contact.objects.filter(user=user).exists():
        User.objects.filter(pk=user.pk).update(info_completed=True)

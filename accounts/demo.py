"""Demo data for a first run (``manage.py loaddemo``); idempotent.

One app version per app type, a fully verified demo customer, a staff superuser and one staff
account per role (CONTRACT §11's roles, ``cashloan.roles``). Rows that already exist are left
as they are.
"""

from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from cashloan.crypto import keyed_digest
from .models import AppType, AppVersion, BankCard, Contact, Identity, PersonalInfo, User

DEMO_MOBILE = "13800000000"
DEMO_PASSWORD = "demo1234"
STAFF_USERNAME = "admin"
STAFF_PASSWORD = "admin123"
ROLE_PASSWORD = "staff123"
# One login per role, to try each workspace: user name, real name, role (group).
ROLE_ACCOUNTS = (
    ("officer", "李信贷", "信贷专员"),
    ("finance", "王财务", "财务"),
    ("finance2", "赵财务", "财务"),  # four eyes: another finance user confirms
    ("risk", "陈风控", "风控"),
    ("operator", "刘运营", "运营"),
    ("collector", "张催收", "催收专员"),
    ("collector2", "周催收", "催收专员"),
    ("lead", "孙主管", "催收主管"),
)
DEMO_ID_NUMBER = "110106197606292150"  # the seed's §19 sample; valid GB 11643 checksum
DEMO_CARD_NUMBER = "6217000730005201534"  # Luhn-valid

_VERSIONS = {
    AppType.ANDROID: "https://example.com/download/cashloan-1.0.0.apk",
    AppType.IOS: "https://apps.apple.com/cn/app/id0000000000",
    AppType.OTHER: "https://example.com/download/",
}


def load(stdout) -> None:
    _load_app_versions()
    _load_demo_customer()
    _load_staff()
    stdout.write("App 版本：安卓、iOS、其他各 1.0.0\n")
    stdout.write(f"演示客户（App 登录，四项认证已完成）：{DEMO_MOBILE} / {DEMO_PASSWORD}\n")
    stdout.write(f"后台管理员（/admin/）：{STAFF_USERNAME} / {STAFF_PASSWORD}\n")
    roles = "、".join(f"{role} {username}" for username, _, role in ROLE_ACCOUNTS)
    stdout.write(f"后台各角色（密码均为 {ROLE_PASSWORD}）：{roles}\n")


def accounts_with_demo_password() -> list[str]:
    """User names of the demo accounts whose password is still the published one."""
    known = {DEMO_MOBILE: DEMO_PASSWORD, STAFF_USERNAME: STAFF_PASSWORD, **{name: ROLE_PASSWORD for name, _, _ in ROLE_ACCOUNTS}}
    users = User.objects.filter(username__in=known).order_by("username")
    return [user.username for user in users if user.check_password(known[user.username])]


def _load_app_versions() -> None:
    for app_type, url in _VERSIONS.items():
        AppVersion.objects.get_or_create(
            app_type=app_type,
            version_code=100,
            defaults={"version_name": "1.0.0", "download_url": url, "description": "首个版本"},
        )


def _load_demo_customer() -> None:
    demo_customer(DEMO_MOBILE, "张某某", DEMO_ID_NUMBER, DEMO_CARD_NUMBER, password=DEMO_PASSWORD)


def demo_customer(mobile: str, name: str, id_number: str, card_number: str, *, password: str | None = None) -> User:
    """A fully verified customer (identity, card, personal information, one contact)."""
    user, created = User.objects.get_or_create(
        mobile=mobile,
        defaults={
            "username": mobile, "real_name": name, "real_name_verified": True, "bank_card_verified": True,
            "mobile_verified": True, "info_completed": True,
        },
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    now = timezone.now()
    if not Identity.objects.filter(user=user).exists():
        Identity.objects.create(
            user=user, real_name=name, id_number=id_number,
            id_number_digest=keyed_digest("id_number", id_number), verified_at=now,
        )
    BankCard.objects.get_or_create(
        user=user, defaults={"card_number": card_number, "reserved_mobile": "18911647521", "verified_at": now}
    )
    PersonalInfo.objects.get_or_create(
        user=user,
        defaults={
            "education": 5, "marital_status": 1, "registry_province": "110000", "registry_city": "110000",
            "registry_detail": "演示", "house_province": "110000", "house_city": "110000", "house_county": "110108",
            "house_detail": "演示路1号", "residence_length": 4, "industry_type": 3, "work_province": "110000",
            "work_city": "110000", "work_county": "110108", "work_detail": "演示大厦", "working_hours": 4,
            "company_name": "演示科技有限公司", "position": "工程师", "month_income": Decimal("10000.00"), "payroll_day": 10,
        },
    )
    if not Contact.objects.filter(user=user).exists():
        Contact.objects.create(user=user, rel_type=1, real_name="木木", phone_num="13940460755")
    return user


def _load_staff() -> None:
    if not User.objects.filter(username=STAFF_USERNAME).exists():
        User.objects.create_superuser(username=STAFF_USERNAME, password=STAFF_PASSWORD, email="")
    for username, real_name, role in ROLE_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(username=username, password=ROLE_PASSWORD, real_name=real_name, is_staff=True)
        user.groups.add(Group.objects.get(name=role))

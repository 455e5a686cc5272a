"""Staff in each role, and a customer with a file, for the back office's tests."""

from django.contrib.auth.models import Group
from django.utils import timezone

from cashloan.crypto import keyed_digest
from accounts.models import BankCard, Contact, Customer, Device, Identity, PersonalInfo
from tests.factories import UserFactory, VerifiedUserFactory

ID_NUMBER = "440305199001011234"  # 广东省深圳市南山区, born 1990-01-01, male (17th digit odd)
CARD_NUMBER = "6222020200112233445"


def staff_in(role: str, **fields):
    user = UserFactory(is_staff=True, mobile=None, username=fields.pop("username", f"staff-{role}-{UserFactory._meta.model.objects.count()}"), **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def customer_with_file(id_number: str = ID_NUMBER, **fields) -> Customer:
    """A verified customer with identity, card, personal information, a contact and a device;
    give each customer of a test an ID number of their own."""
    user = VerifiedUserFactory(real_name="王豆豆", **fields)
    Identity.objects.create(
        user=user, real_name="王豆豆", id_number=id_number, id_number_digest=keyed_digest("id_number", id_number), verified_at=timezone.now()
    )
    BankCard.objects.create(user=user, card_number=CARD_NUMBER, reserved_mobile="18911647533", verified_at=timezone.now())
    PersonalInfo.objects.create(
        user=user, education=5, marital_status=1, registry_province="440000", registry_city="440300", registry_detail="南山大道1号",
        house_province="110000", house_city="110100", house_county="110108", house_detail="中关村1号", residence_length=4,
        industry_type=5, work_province="110000", work_city="110100", work_county="110105", work_detail="建国路1号",
        working_hours=3, company_name="某科技公司", position="工程师", month_income="12000.00", payroll_day=10,
    )
    Contact.objects.create(user=user, rel_type=1, real_name="王父", phone_num="13911112222")
    Device.objects.create(user=user, app_type="1", token="device-token-1", last_login_at=timezone.now())
    return Customer.objects.get(pk=user.pk)

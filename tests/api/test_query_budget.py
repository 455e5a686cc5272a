"""The SQL budget of every endpoint's main success path, and paging that does not grow with the page.

Each figure is exact (``django_assert_num_queries``): a change that adds a query to an endpoint
(an N+1, a repeated lookup of the same row) fails here and must be looked at. The data is a
realistic customer: verified through the accounts services (identity, card, mobile, personal
information, three contacts), a 12-month annuity loan disbursed 70 days ago whose first period
was repaid and whose second is overdue, messages from those loan events and from staff.

The figures count what the test database sees, so they include the SAVEPOINT/RELEASE pairs of
``transaction.atomic()`` blocks (the test runs inside a transaction; in production those blocks
are BEGIN/COMMIT, which Django does not log). Sessions live in Redis when ``REDIS_URL`` is set
(CI, production) and in the database otherwise: the second column is the SQLite fallback's.
The logged-in customer has made a request before (``log_in``), so the user comes from its cached
snapshot (``accounts.snapshots``), as on every request but a session's first: no user-row query.

Every success reply is also checked against the OpenAPI description (CONTRACT §2).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Callable

import pytest
from django.conf import settings
from django.utils import timezone

from accounts import challenges
from accounts.inputs import parse_personal_info
from accounts.models import AppVersion, User
from accounts.services import personal_info, verification
from loans.models import LoanApplication
from loans.repayments import repay
from messaging.models import CustomerMessage, SystemMessage
from products.selectors import product_list
from tests.accounts.helpers import GOOD_CARD, GOOD_ID, PERSONAL_INFO, id_number
from tests.api.described import assert_conforms
from tests.factories import LoanApplicationFactory, ProductFactory, VerifiedUserFactory, encrypt_password
from tests.loans.helpers import disbursed_loan

pytestmark = pytest.mark.django_db

DB_SESSIONS = settings.SESSION_ENGINE.endswith(".db")


@dataclass
class World:
    api: object
    customer: User
    product: object
    loan: LoanApplication
    extra: dict = field(default_factory=dict)

    @property
    def overdue_period(self):
        return self.loan.periods.get(number=2)


def verified_customer(mobile: str = "13800138000", id_no: str = GOOD_ID) -> User:
    """A customer verified through the accounts services, with personal information and contacts."""
    user = User.objects.create_user(username=mobile, mobile=mobile, password="secret123")
    verification.verify_real_name(user, real_name="王豆豆", id_number=id_no)
    verification.verify_bank_card(user, card_number=GOOD_CARD, reserved_mobile=mobile)
    verification.verify_mobile(user)
    personal_info.save_personal_info(user, parse_personal_info(PERSONAL_INFO))
    for rel_type, name, phone in [(1, "王大", "13900000001"), (7, "李二", "13900000002"), (6, "张三", "13900000003")]:
        personal_info.save_contact(user, oper_type="add", contact_id=None, rel_type=rel_type, real_name=name, phone_num=phone)
    user.refresh_from_db()
    assert user.verifications_complete
    return user


@pytest.fixture
def world(api):
    customer = verified_customer()
    User.objects.filter(pk=customer.pk).update(total_credit=Decimal("20000.00"))
    customer.refresh_from_db()
    product = ProductFactory(instalments=True)
    ProductFactory()  # a second product on sale
    start = timezone.localdate() - timedelta(days=70)
    loan = disbursed_loan(
        start, instalments=True, user=customer, product=product, apply_amount=Decimal("12000.00"),
        service_fee=Decimal("120.00"), term_count=12, repay_type=3,
    )
    assert loan.periods.count() == 12
    repay(customer, str(loan.periods.get(number=1).pk), "current", today=loan.periods.get(number=1).due_date)
    for n in range(5):
        CustomerMessage.objects.create(user=customer, title=f"通知{n}", content="您的借款已放款", message_type=99, sent_at=timezone.now())
        SystemMessage.objects.create(title=f"公告{n}", content="系统维护", message_type=1, publish_at=timezone.now() - timedelta(hours=n))
    AppVersion.objects.create(app_type="1", version_code=12, version_name="1.2.0", download_url="https://example.com/a.apk")
    log_in(api, customer)
    return World(api=api, customer=customer, product=product, loan=loan)


def log_in(api, customer: User) -> None:
    """Log in and make one request, as the app does after its login: the user's snapshot is
    cached (accounts.snapshots), so what is measured is a logged-in customer's usual request."""
    api.client.force_login(customer)
    assert api.post("/appCommonApi/getAuthenticationStatus").ok


# --- the success paths ------------------------------------------------------------------------------

def _captcha(world: World) -> str:
    return world.api.post("/openApi/getCode").result


def _sms_register(world: World) -> dict:
    return {"mobile": "13700137000", "code": _captcha(world)}


def _sms_reset(world: World) -> dict:
    return {"mobile": world.customer.mobile, "code": _captcha(world)}


def _check_register(world: World) -> dict:
    return {"mobile": "13700137000", "smscode": challenges.issue_sms_code(challenges.Flow.REGISTER, "13700137000")}


def _check_reset(world: World) -> dict:
    mobile = world.customer.mobile
    return {"mobile": mobile, "smscode": challenges.issue_sms_code(challenges.Flow.RESET, mobile)}


def _register(world: World) -> dict:
    challenges.grant_proof(challenges.Flow.REGISTER, "13700137000")
    return {"mobile": "13700137000", "password": encrypt_password("newpass1"), "confirmPassword": encrypt_password("newpass1")}


def _identity(world: World) -> dict:
    challenges.grant_proof(challenges.Flow.RESET, world.customer.mobile)
    return {"mobile": world.customer.mobile, "realname": "王豆豆", "identitycode": GOOD_ID}


def _reset(world: World) -> dict:
    mobile = world.customer.mobile
    challenges.grant_proof(challenges.Flow.RESET, mobile)
    proof = challenges.read_proof(challenges.Flow.RESET, mobile)
    challenges.update_proof(challenges.Flow.RESET, mobile, {**proof, "identity_ok": True})
    return {"mobile": mobile, "password": encrypt_password("newpass1"), "confirmPassword": encrypt_password("newpass1")}


def _modify(world: World) -> dict:
    return {"mobile": world.customer.mobile, "oldPassword": encrypt_password("secret123"), "newPassword": encrypt_password("newpass1")}


def _login(world: World) -> dict:
    world.api.client.logout()
    return {"username": world.customer.mobile, "password": encrypt_password("secret123"), "appType": "1", "token": "device-1"}


def _quit(world: World) -> dict:
    return {"sessionId": world.api.client.session.session_key}


def _warm_catalogue(world: World) -> dict:
    product_list()
    return {}


def _cold_details(world: World) -> dict:
    from django.core.cache import cache

    cache.delete_many([key for key in ("products:catalogue:version",)])
    return {"productId": str(world.product.pk)}


def _warm_details(world: World) -> dict:
    product_list()
    return {"productId": str(world.product.pk)}


QUOTE_TERMS = {
    "amount": "3000.00", "interestRate": "0.12", "termCount": "3", "termUnit": "2",
    "repayTermCount": "1", "repayTermUnit": "2", "repayType": "3",
}


def _quote(world: World) -> dict:
    return {"productId": str(world.product.pk), **QUOTE_TERMS}


def _apply(world: World) -> dict:
    """A second verified customer without a loan (the first has one unfinished)."""
    applicant = verified_customer("13600136000", id_number(birth="19851212", sequence="456"))
    log_in(world.api, applicant)
    return {
        "productId": str(world.product.pk), **QUOTE_TERMS, "longitude": "116.30", "latitude": "39.98",
        "orderId": "201701012236523", "purpose": "21", "otherChannels": "01",
        "phonebookList": [{"contactName": "王大", "contactPhone": "13900000001"}, {"contactName": "李二", "contactPhone": "13900000002"}],
        "contactName": "王大", "contactPhone": "13900000001", "remark": "",
    }


def _bank_card(world: World) -> dict:
    return {"bankCardNo": GOOD_CARD, "mobile": world.customer.mobile}


def _real_name(world: World) -> dict:
    return {"realName": "王豆豆", "idCardNo": GOOD_ID}


def _contact_update(world: World) -> dict:
    contact = world.customer.contacts.first()
    return {"id": str(contact.pk), "operType": "update", "relType": "6", "realName": "赵四", "phoneNum": "13900000009"}


def _contact_add(world: World) -> dict:
    return {"operType": "add", "relType": "4", "realName": "赵四", "phoneNum": "13900000009"}


def _page(**extra) -> Callable[[World], dict]:
    return lambda world: {"pageNum": 1, "pageSize": 10, **extra}


def _schedule(world: World) -> dict:
    return {"pageNum": 1, "pageSize": 12, "loanProductApplyId": str(world.loan.pk)}


def _repay(kind: str) -> Callable[[World], dict]:
    return lambda world: {"id": str(world.overdue_period.pk), "repayType": kind}


@dataclass(frozen=True)
class Path:
    name: str
    path: str
    payload: Callable[[World], dict]
    queries: int  # sessions in Redis
    queries_db_sessions: int  # sessions in the database (the SQLite fallback)
    code: str = "0000"

    @property
    def expected(self) -> int:
        return self.queries_db_sessions if DB_SESSIONS else self.queries


BUDGET = [
    # login, registration and application each read the identity blacklist once (CONTRACT §15)
    Path("login", "/security/login", _login, 9, 16, "90000000"),
    Path("getCode", "/openApi/getCode", lambda w: {}, 0, 4),
    Path("getSmsCode", "/openApi/getSmsCode", _sms_register, 2, 2, "20001000"),
    Path("checkSmsCode", "/openApi/checkSmsCode", _check_register, 1, 1, "20002006"),
    Path("userRegister", "/openApi/userRegister", _register, 5, 5, "20003000"),
    Path("forgetPwdGetSmsCode", "/openApi/forgetPwdGetSmsCode", _sms_reset, 2, 2, "20001000"),
    Path("forgetPwdCheckSmsCode", "/openApi/forgetPwdCheckSmsCode", _check_reset, 1, 1, "20002006"),
    Path("forgetPwdIdentityAuth", "/openApi/forgetPwdIdentityAuth", _identity, 2, 2, "20004000"),
    Path("userResetPwd", "/openApi/userResetPwd", _reset, 5, 5, "20003002"),
    Path("modifyPwd", "/appApi/modifyPwd", _modify, 5, 9, "20003004"),
    Path("commitSuggestion", "/appApi/commitSuggestion", lambda w: {"mobile": w.customer.mobile, "source": "2", "suggestion": "好用"}, 1, 2, "20003006"),
    Path("appVersionDetection", "/appApi/appVersionDetection", lambda w: {"appType": "1"}, 1, 1, "20003008"),
    Path("quitMobileLogin", "/appApi/quitMobileLogin", _quit, 0, 2, "20003010"),
    Path("getAuthenticationStatus", "/appCommonApi/getAuthenticationStatus", lambda w: {}, 1, 2),
    Path("getLoanProductList (cached)", "/openCommonApi/getLoanProductList", _warm_catalogue, 0, 0),
    Path("getLoanProductList (cold cache)", "/openCommonApi/getLoanProductList", lambda w: {}, 1, 1),
    Path("getLoanProductDetails (cached)", "/openCommonApi/getLoanProductDetails", _warm_details, 0, 0),
    Path("getLoanProductDetails (cold cache)", "/openCommonApi/getLoanProductDetails", _cold_details, 1, 1),
    Path("getLoanApplyConfirmInfo", "/appCommonApi/getLoanApplyConfirmInfo", _quote, 1, 2),
    # + the risk decision (CONTRACT §12): the customer's loan history and the enabled rules (the
    # cache is cold here); with a device token, one more (tests/loans/test_decisions.py).
    Path("loanProductApply", "/appCommonApi/loanProductApply", _apply, 13, 14, "20005000"),
    Path("getCustomMessage", "/appCommonApi/getCustomMessage", _page(), 1, 2),  # short first page: no count
    Path("getSystemMessage", "/openCommonApi/getSystemMessage", _page(), 1, 1),
    Path("getRepayInfoList", "/appCommonApi/getRepayInfoList", _page(condition="0"), 1, 2),  # the rows carry the total
    Path("getUserCenterInfo", "/appCommonApi/getUserCenterInfo", lambda w: {}, 2, 3),
    Path("getLoanApplyInfoList", "/appCommonApi/getLoanApplyInfoList", _page(), 1, 2),
    Path("getLoanApplyRepayList", "/appCommonApi/getLoanApplyRepayList", _schedule, 2, 3),
    Path("authUserBankCard", "/appCommonApi/authUserBankCard", _bank_card, 9, 10),
    Path("authUserMobile", "/appCommonApi/authUserMobile", lambda w: {}, 2, 3),
    Path("authRealNameInfo", "/appCommonApi/authRealNameInfo", _real_name, 3, 4),
    Path("getPerfectUserInfo", "/appCommonApi/getPerfectUserInfo", lambda w: {}, 2, 3),
    Path("savePerfectUserInfo", "/appCommonApi/savePerfectUserInfo", lambda w: dict(PERSONAL_INFO), 7, 8),
    Path("saveOrUpdateRelShip (add)", "/appCommonApi/saveOrUpdateRelShip", _contact_add, 5, 6),
    Path("saveOrUpdateRelShip (update)", "/appCommonApi/saveOrUpdateRelShip", _contact_update, 5, 6),
    # each with the books' posting: 4 statements (entry, lines, balance rows read, one upsert),
    # and collections' look-up of the loan's open case (CONTRACT §13: none here)
    Path("gotoRepayment (current)", "/appCommonApi/gotoRepayment", _repay("current"), 14, 15),
    Path("gotoRepayment (all)", "/appCommonApi/gotoRepayment", _repay("all"), 16, 17),
]


@pytest.mark.parametrize("case", BUDGET, ids=lambda case: case.name)
def test_main_success_path_query_budget(world, django_assert_num_queries, case):
    payload = case.payload(world)
    with django_assert_num_queries(case.expected):
        reply = world.api.post(case.path, payload)
    assert reply.code == case.code, reply.body
    assert reply.ok
    assert_conforms(case.path, reply.body)


def test_every_endpoint_has_a_budget():
    from tests.api.test_schema import SEED_PATHS

    assert {case.path for case in BUDGET} == set(SEED_PATHS)


# --- paging: the page size does not change the number of queries (CONTRACT §2) ---------------------

# Full pages: the slice, then the count (and the session, in the database; the user comes from its snapshot).
PAGED = {
    "getCustomMessage": ("/appCommonApi/getCustomMessage", lambda c: {}, 2, 3),
    "getSystemMessage": ("/openCommonApi/getSystemMessage", lambda c: {}, 2, 2),
    "getRepayInfoList": ("/appCommonApi/getRepayInfoList", lambda c: {"condition": "0"}, 1, 2),  # no count: a window
    "getLoanApplyInfoList": ("/appCommonApi/getLoanApplyInfoList", lambda c: {}, 2, 3),
    "getLoanApplyRepayList": ("/appCommonApi/getLoanApplyRepayList", lambda c: {"loanProductApplyId": str(c.loan.pk)}, 2, 3),
}


@pytest.fixture
def crowded(api):
    """More than 50 rows in every list: a 60-month loan, 55 older applications, 55 messages of each kind."""
    customer = VerifiedUserFactory()
    LoanApplicationFactory.create_batch(55, user=customer, status=3)
    customer.loan = disbursed_loan(
        timezone.localdate() - timedelta(days=100), instalments=True, user=customer,
        apply_amount=Decimal("30000.00"), term_count=60, repay_type=3,
    )
    assert customer.loan.periods.count() == 60
    CustomerMessage.objects.bulk_create(
        CustomerMessage(user=customer, title=f"通知{n}", content="内容", message_type=99, sent_at=timezone.now()) for n in range(55)
    )
    SystemMessage.objects.bulk_create(
        SystemMessage(title=f"公告{n}", content="内容", message_type=1, publish_at=timezone.now() - timedelta(minutes=n)) for n in range(55)
    )
    log_in(api, customer)
    return customer


@pytest.mark.parametrize("name", PAGED)
def test_paged_lists_cost_the_same_at_page_size_1_and_50(api, crowded, django_assert_num_queries, name):
    """Two queries per full page (one slice with its joins, a count; the repayment list one, its rows
    carrying the total), whatever the page size: no N+1."""
    path, extra, queries, queries_db_sessions = PAGED[name]
    budget = queries_db_sessions if DB_SESSIONS else queries
    for size in (1, 50):
        with django_assert_num_queries(budget):
            reply = api.post(path, {"pageNum": 1, "pageSize": size, **extra(crowded)})
        assert reply.ok, reply.body
        assert len(reply.result) == size and reply.body["total"] > 50, (size, reply.body["total"])
        assert_conforms(path, reply.body)

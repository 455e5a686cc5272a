"""Fuzzing every endpoint from its OpenAPI description (schemathesis), through the real WSGI app.

For each operation, schemathesis generates request bodies from the described input (positive:
bodies the description admits; negative: bodies it does not, non-objects included). A
``before_call`` hook signs every generated object with a fresh timestamp, nonce and sign
(CONTRACT §3); anything else goes as generated, unsigned. Login-required operations carry a
verified customer's session as ``Authorization: Bearer`` (CONTRACT §5), the others now and then.
Some fields are now and then replaced by values that exist (the customer's loan, period, contact,
the product on sale, plausible amounts and terms), so the requests get past the first lookups too.

Every reply must be: not a 5xx; the signed envelope (CONTRACT §2), whose signature verifies;
conform to the operation's description (schemathesis's status, content-type and response-schema
checks: fields, types, money strings, responseCode in the endpoint's table); and no request may
have crashed inside a view (a crash would answer the 9999 envelope: the logged "unhandled error"
is what gives it away). What cannot be signed (not an object, or text with a lone surrogate) must
be refused as malformed (10001000) or unsigned (90100001).

``FUZZ_EXAMPLES`` (default 25) is the number of examples per operation and mode (about 25 s in
all on PostgreSQL); ``FUZZ_TRACE=<file>`` appends one JSON line per request (path, mode, code,
message) to show how deep the run got. A failure prints the hypothesis seed to replay it.
"""

import json
import logging
import os
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Contact
from cashloan.api.signing import sign_request, signature_matches
from tests.api.described import openapi_document
from tests.api.test_schema import SEED_PATHS
from tests.accounts.helpers import GOOD_CARD, GOOD_ID, PERSONAL_INFO
from tests.factories import ProductFactory, VerifiedUserFactory, encrypt_password
from tests.loans.helpers import disbursed_loan

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
UNSIGNABLE_CODES = {"10001000", "90100001"}


@pytest.fixture(scope="module")
def fuzz_schema(django_db_blocker):
    """The generator's document, loaded by schemathesis, served by the app in-process."""
    with django_db_blocker.unblock():
        raw = json.loads(json.dumps(openapi_document()))  # a copy: schemathesis rewrites it in place
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = WSGIHandler()
    return schema


@pytest.fixture
def in_process_requests():
    """Keep the test's transaction open across requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def signing_hook():
    """Sign every generated JSON object just before it is sent (fresh, so retries are no replays)."""

    def before_call(context, case, kwargs):
        if _signable(case.body):
            case.body = sign_request(case.body, settings.APP_KEY)

    schemathesis.hook(before_call)
    try:
        yield
    finally:
        schemathesis.hooks.unregister(before_call)


@pytest.fixture
def crashes():
    """Errors logged by the API's exception handler or by Django's request handling."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect(level=logging.ERROR)
    loggers = [logging.getLogger(name) for name in ("cashloan.api", "django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@pytest.fixture
def customer(client):
    """A verified customer with a disbursed 3-month loan (one period overdue), a contact, a session."""
    user = VerifiedUserFactory(total_credit=Decimal("20000.00"))
    product = ProductFactory(instalments=True)
    loan = disbursed_loan(timezone.localdate() - timedelta(days=40), instalments=True, user=user, product=product)
    contact = Contact.objects.create(user=user, rel_type=1, real_name="王大", phone_num="13900000001")
    client.force_login(user)
    user.session_id = client.session.session_key
    user.known = _known_values(user, product, loan, contact)
    return user


def _known_values(user, product, loan, contact) -> dict:
    """Per path and field, values that exist or are plausible; the first is the valid one."""
    periods = [str(period.pk) for period in loan.periods.order_by("number")]
    passwords = [encrypt_password("secret123"), encrypt_password("newpass1"), encrypt_password("123")]
    common = {
        **{name: [value] for name, value in PERSONAL_INFO.items()},
        "productId": [str(product.pk), str(uuid.uuid4())],
        "loanProductApplyId": [str(loan.pk), str(uuid.uuid4())],
        "mobile": [user.mobile, "13700137000", "1370013700"],
        "username": [user.mobile, "13700137000"],
        "password": passwords,
        "confirmPassword": passwords,
        "oldPassword": passwords,
        "newPassword": passwords,
        "sessionId": ["0123456789abcdef"],
        "smscode": ["123456"],
        "realname": ["王豆豆", "王"],
        "identitycode": [GOOD_ID, "110101199003071230"],
        "idCardNo": [GOOD_ID, "110101199003071230"],
        "bankCardNo": [GOOD_CARD, "4111111111111112"],
        "amount": ["3000.00", "1000", 5000, "50000.01", "0.01", "999999999999.99", "1e3", "-1"],
        "interestRate": ["0.12", "0.2400", "0", "9999.9999", "0.120001"],
        "termCount": ["3", "6", 12, "9999", "0"],
        "termUnit": ["2", "02", 1, "3"],
        "repayTermCount": ["1", "3", 1, "9999"],
        "repayTermUnit": ["2", "1", "3", "4"],
        "repayType": ["3", "1", "2", "4", "5"],
        "condition": ["0", "1", "2", "3", "4", None, ""],
        "pageNum": [1, 2, 10**6],
        "pageSize": [10, 1, 50, 10**6],
        "purpose": ["21", "15", 22],
        "otherChannels": ["01", "3", 2],
        "longitude": ["116.30"],
        "latitude": ["39.98"],
        "orderId": ["201701012236523"],
        "phonebookList": [[{"contactName": "王大", "contactPhone": "13900000001"}], []],
        "operType": ["add", "update"],
        "id": [str(contact.pk), str(uuid.uuid4())],
        "relType": ["1", "7", "8"],
        "phoneNum": ["13900000002", user.mobile],
        "realName": ["王豆豆", "李四", "王\ud800"],  # a lone surrogate: unsignable, refused
        "appType": ["1", "2"],
        "source": ["2"],
        "suggestion": ["好用", " ", "\udfff"],
    }
    return {
        "*": common,
        "/appCommonApi/gotoRepayment": {"id": [periods[1], *periods, str(uuid.uuid4())], "repayType": ["current", "all"]},
        "/appCommonApi/loanProductApply": {"productId": [str(ProductFactory(instalments=True).pk)]},
    }


def _mix_known_values(data, path: str, body, known: dict):
    """As generated, with some known fields, every known field, or every field valid (deep paths)."""
    if not isinstance(body, dict):
        return body
    pools = {**known["*"], **known.get(path, {})}
    how = data.draw(st.sampled_from(["as generated", "some known", "all known", "all valid"]), label="mix")
    if how == "as generated":
        return body
    mixed = dict(body)
    for name in sorted(mixed):
        if name not in pools:
            continue
        if how == "all valid":
            mixed[name] = pools[name][0]
        elif how == "all known" or data.draw(st.booleans(), label=f"replace {name}"):
            mixed[name] = data.draw(st.sampled_from(pools[name]), label=name)
    return mixed


def _signable(body) -> bool:
    """A JSON object whose text is UTF-8 (a lone surrogate is not): what a client can sign."""
    if not isinstance(body, dict):
        return False
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _envelope_of(response) -> dict:
    assert "application/json" in response.headers.get("content-type", [""])[0], response.headers
    body = json.loads(response.content.decode("utf-8"))
    assert isinstance(body, dict), body
    assert signature_matches(body, settings.APP_KEY), f"reply signature does not verify: {body}"
    return body


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda mode: mode.value)
@pytest.mark.parametrize("path", SEED_PATHS)
def test_fuzz_operation(fuzz_schema, in_process_requests, signing_hook, crashes, customer, path, mode):
    """CONTRACT §1–§4: whatever the body, a signed envelope the description admits, never a crash."""
    operation = fuzz_schema[path]["POST"]
    login_required = "90004000" in json.dumps(operation.definition.raw["responses"]["200"])
    # Identity encoding: schemathesis's WSGI transport does not decode gzip (covered by test_protocol).
    anonymous = {"Accept-Encoding": "identity"}
    logged_in = {**anonymous, "Authorization": f"Bearer {customer.session_id}"}

    @hypothesis_settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def fuzz(case, data):
        case.body = _mix_known_values(data, path, case.body, customer.known)
        signable = _signable(case.body)
        # Endpoints without login see the session now and then too (§15 and §16 use it when present).
        with_session = login_required or data.draw(st.booleans(), label="session")
        response = case.call(headers=logged_in if with_session else anonymous)
        case.validate_response(response, checks=CHECKS)
        body = _envelope_of(response)
        if os.environ.get("FUZZ_TRACE"):
            with open(os.environ["FUZZ_TRACE"], "a") as trace:
                trace.write(json.dumps([path, mode.value, body["responseCode"], body["responseMessage"][:30]], ensure_ascii=False) + "\n")
        if not signable:
            assert body["responseCode"] in UNSIGNABLE_CODES, body
        assert not crashes, [record.getMessage() for record in crashes]

    fuzz()

"""The OpenAPI description at /api/schema/ and its browsable pages (no CDN)."""

import re

import pytest

pytestmark = pytest.mark.django_db

SEED_PATHS = [
    "/security/login", "/openApi/getCode", "/openApi/getSmsCode", "/openApi/checkSmsCode",
    "/openApi/userRegister", "/openApi/forgetPwdGetSmsCode", "/openApi/forgetPwdCheckSmsCode",
    "/openApi/forgetPwdIdentityAuth", "/openApi/userResetPwd", "/appApi/modifyPwd",
    "/appApi/commitSuggestion", "/appApi/appVersionDetection", "/appApi/quitMobileLogin",
    "/appCommonApi/getAuthenticationStatus", "/openCommonApi/getLoanProductList",
    "/openCommonApi/getLoanProductDetails", "/appCommonApi/getLoanApplyConfirmInfo",
    "/appCommonApi/loanProductApply", "/appCommonApi/getCustomMessage", "/openCommonApi/getSystemMessage",
    "/appCommonApi/getRepayInfoList", "/appCommonApi/getUserCenterInfo", "/appCommonApi/getLoanApplyInfoList",
    "/appCommonApi/getLoanApplyRepayList", "/appCommonApi/authUserBankCard", "/appCommonApi/authUserMobile",
    "/appCommonApi/authRealNameInfo", "/appCommonApi/getPerfectUserInfo", "/appCommonApi/savePerfectUserInfo",
    "/appCommonApi/saveOrUpdateRelShip", "/appCommonApi/gotoRepayment",
]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_every_seed_endpoint_is_described(schema):
    assert sorted(schema["paths"]) == sorted(SEED_PATHS)
    for path, item in schema["paths"].items():
        assert list(item) == ["post"], path
        body = item["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert "sign" in str(body), path
        success, failure = item["post"]["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"]
        assert "9999" in failure["properties"]["responseCode"]["enum"], path


@pytest.fixture
def public_docs(settings):
    settings.API_DOCS_PUBLIC = True


def test_schema_served_as_json(client, public_docs):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "/openCommonApi/getLoanProductList" in response.json()["paths"]


@pytest.mark.parametrize("page", ["/api/schema/docs/", "/api/schema/redoc/"])
def test_browsable_pages_use_local_assets_only(client, public_docs, page):
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r'(?:src|href)=["\'](https?:)?//', html)
    assert not external, external
    assert "/static/drf_spectacular_sidecar/" in html


DOCS_PAGES = ["/api/schema/", "/api/schema/docs/", "/api/schema/redoc/"]


@pytest.mark.parametrize("page", DOCS_PAGES)
def test_private_docs_send_anonymous_visitors_to_the_admin_login(client, settings, page):
    """CONTRACT §11: "API_DOCS_PUBLIC ... off, an anonymous visitor is redirected to the admin login"."""
    settings.API_DOCS_PUBLIC = False
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={page}"


@pytest.mark.parametrize("page", DOCS_PAGES)
def test_private_docs_are_for_staff_only(client, settings, page):
    from tests.factories import UserFactory

    settings.API_DOCS_PUBLIC = False
    client.force_login(UserFactory())  # a customer's session is not enough
    assert client.get(page).status_code == 302
    client.force_login(UserFactory(is_staff=True))
    assert client.get(page).status_code == 200


# --- what each operation describes (seed §§ and CONTRACT §2, §4) ----------------------------------

SEED_SECTIONS = {
    "/security/login": 4, "/openApi/getCode": 7, "/openApi/getSmsCode": 8, "/openApi/checkSmsCode": 9,
    "/openApi/userRegister": 10, "/openApi/forgetPwdGetSmsCode": 11, "/openApi/forgetPwdCheckSmsCode": 12,
    "/openApi/forgetPwdIdentityAuth": 13, "/openApi/userResetPwd": 14, "/appApi/modifyPwd": 15,
    "/appApi/commitSuggestion": 16, "/appApi/appVersionDetection": 17, "/appApi/quitMobileLogin": 18,
    "/appCommonApi/getAuthenticationStatus": 19, "/openCommonApi/getLoanProductList": 20,
    "/openCommonApi/getLoanProductDetails": 21, "/appCommonApi/getLoanApplyConfirmInfo": 22,
    "/appCommonApi/loanProductApply": 23, "/appCommonApi/getCustomMessage": 24, "/openCommonApi/getSystemMessage": 25,
    "/appCommonApi/getRepayInfoList": 26, "/appCommonApi/getUserCenterInfo": 27,
    "/appCommonApi/getLoanApplyInfoList": 28, "/appCommonApi/getLoanApplyRepayList": 29,
    "/appCommonApi/authUserBankCard": 30, "/appCommonApi/authUserMobile": 31, "/appCommonApi/authRealNameInfo": 32,
    "/appCommonApi/getPerfectUserInfo": 33, "/appCommonApi/savePerfectUserInfo": 34,
    "/appCommonApi/saveOrUpdateRelShip": 35, "/appCommonApi/gotoRepayment": 36,
}
# The seed's resultSet is "空" and ours is "" too. (§17, §23 and §36 are "空" in the seed but
# answer the version, the new application's id and the posted repayment: described.)
EMPTY_RESULT_PATHS = {
    "/appApi/quitMobileLogin", "/openApi/getSmsCode", "/openApi/forgetPwdGetSmsCode", "/openApi/checkSmsCode",
    "/openApi/forgetPwdCheckSmsCode", "/openApi/userRegister", "/openApi/forgetPwdIdentityAuth",
    "/openApi/userResetPwd", "/appApi/modifyPwd", "/appApi/commitSuggestion", "/appCommonApi/authUserBankCard",
    "/appCommonApi/authUserMobile", "/appCommonApi/savePerfectUserInfo", "/appCommonApi/saveOrUpdateRelShip",
}
PAGED_PATHS = {
    "/appCommonApi/getCustomMessage", "/openCommonApi/getSystemMessage", "/appCommonApi/getRepayInfoList",
    "/appCommonApi/getLoanApplyInfoList", "/appCommonApi/getLoanApplyRepayList",
}
PROTOCOL = {"10001000", "90100001", "90100002", "90100003", "9999"}
LOGIN = {"90004000"}
QUOTE = {f"200040{n:02d}" for n in range(17)}  # §22.4 and CONTRACT §4 20004016 (the cost cap)
SMS_SEND = {"20001000", "10002001", "10002002", "90005000"}
# Success code first, then every code the endpoint can really answer.
EXPECTED_CODES = {
    "/security/login": ["90000000", "90001000", "90002000", "90003000", "90009000", "90005000"],
    "/openApi/getCode": ["0000", "90005000"],
    "/openApi/getSmsCode": ["20001000", *SMS_SEND],
    "/openApi/forgetPwdGetSmsCode": ["20001000", *SMS_SEND],
    "/openApi/checkSmsCode": ["20002006", "20002004", "20002005"],
    "/openApi/forgetPwdCheckSmsCode": ["20002006", "20002004", "20002005"],
    "/openApi/userRegister": ["20003000", "20003001"],
    "/openApi/forgetPwdIdentityAuth": ["20004000", "20004001"],
    "/openApi/userResetPwd": ["20003002", "20003003"],
    "/appApi/modifyPwd": ["20003004", "20003005", "20003015", "90003000"],
    "/appApi/commitSuggestion": ["20003006", "20003007"],
    "/appApi/appVersionDetection": ["20003008", "20003009"],
    "/appApi/quitMobileLogin": ["20003010"],
    "/appCommonApi/getAuthenticationStatus": ["0000", *LOGIN],
    "/openCommonApi/getLoanProductList": ["0000"],
    "/openCommonApi/getLoanProductDetails": ["0000"],
    "/appCommonApi/getLoanApplyConfirmInfo": ["0000", *LOGIN, *QUOTE],
    "/appCommonApi/loanProductApply": ["20005000", *LOGIN, *QUOTE, "20005001", "20005002", "20005003", "20005004", "20005005"],
    "/appCommonApi/getCustomMessage": ["0000", *LOGIN],
    "/openCommonApi/getSystemMessage": ["0000"],
    "/appCommonApi/getRepayInfoList": ["0000", *LOGIN],
    "/appCommonApi/getUserCenterInfo": ["0000", *LOGIN],
    "/appCommonApi/getLoanApplyInfoList": ["0000", *LOGIN],
    "/appCommonApi/getLoanApplyRepayList": ["0000", *LOGIN],
    "/appCommonApi/authUserBankCard": ["0000", *LOGIN],
    "/appCommonApi/authUserMobile": ["0000", *LOGIN],
    "/appCommonApi/authRealNameInfo": ["0000", *LOGIN],
    "/appCommonApi/getPerfectUserInfo": ["0000", *LOGIN],
    "/appCommonApi/savePerfectUserInfo": ["0000", *LOGIN],
    "/appCommonApi/saveOrUpdateRelShip": ["0000", *LOGIN],
    "/appCommonApi/gotoRepayment": ["0000", *LOGIN, "20006001", "20006002", "20006003", "20006004"],
}


def _envelopes(schema, path):
    """(success, failure) envelope schemas of the operation's HTTP 200 reply."""
    reply = schema["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    success, failure = reply["oneOf"]
    assert success["properties"]["exceptionFlag"]["enum"] == ["0000"], path
    assert failure["properties"]["exceptionFlag"]["enum"] == ["9999"], path
    return success, failure


def test_the_description_generates_without_warnings(tmp_path):
    """Every serializer field resolves and the document is valid OpenAPI 3 (``--fail-on-warn``)."""
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/appCommonApi/gotoRepayment" in target.read_text()


@pytest.mark.parametrize("path", SEED_PATHS)
def test_every_operation_names_its_seed_section(schema, path):
    operation = schema["paths"][path]["post"]
    section = SEED_SECTIONS[path]
    assert re.search(rf"§{section}(?!\d)", operation["summary"]), operation["summary"]
    assert re.search(rf"§{section}(?!\d)", operation["description"]), path


@pytest.mark.parametrize("path", SEED_PATHS)
def test_every_operation_describes_its_result_set(schema, path):
    """CONTRACT §2: resultSet is described wherever the endpoint answers one; failures carry ""."""
    from cashloan.api.schema import EMPTY_RESULT

    success, failure = _envelopes(schema, path)
    result = success["properties"]["resultSet"]
    if path in EMPTY_RESULT_PATHS:
        assert result == EMPTY_RESULT, path
    else:
        assert result != EMPTY_RESULT and result, path
    assert failure["properties"]["resultSet"] == EMPTY_RESULT
    paged = path in PAGED_PATHS
    assert (result.get("type") == "array") == (paged or path == "/openCommonApi/getLoanProductList"), path
    for field in ("pageNum", "pageSize", "total", "pages", "isFirstPage", "isLastPage"):
        assert (field in success["required"]) == paged, (path, field)
        assert field not in failure["properties"]
    assert success["additionalProperties"] is False and failure["additionalProperties"] is False


@pytest.mark.parametrize("path", SEED_PATHS)
def test_every_operation_lists_the_codes_it_can_answer(schema, path):
    """The seed's table for the endpoint, CONTRACT §4's refusals, and the protocol's codes."""
    success, failure = _envelopes(schema, path)
    expected_success, *own = EXPECTED_CODES[path]
    assert success["properties"]["responseCode"]["enum"] == [expected_success]
    assert set(failure["properties"]["responseCode"]["enum"]) == (set(own) | PROTOCOL) - {expected_success}
    description = schema["paths"][path]["post"]["description"]
    for code in {expected_success, *own}:
        assert f"| `{code}` |" in description, (path, code)


def test_result_objects_are_described_field_by_field(schema):
    """Money is a two-decimal string, nested lists are described, no undeclared field is admitted."""
    components = schema["components"]["schemas"]
    loans = components["LoanApplyInfoResult"]
    assert loans["additionalProperties"] is False
    assert loans["properties"]["applyAmount"]["pattern"] == r"^\d+\.\d{2}$"
    assert loans["properties"]["contractInfoList"]["items"]["$ref"].endswith("/ContractInfoResult")
    assert components["PerfectUserInfoResult"]["properties"]["relShipList"]["items"]["$ref"].endswith("/ContactResult")
    assert components["QuoteResult"]["properties"]["schedule"]["items"]["$ref"].endswith("/QuotePeriodResult")
    assert "registry_province" in components["PerfectUserInfoResult"]["required"]
    assert components["ProductDetailResult"]["properties"]["repayTypeData"]["additionalProperties"] == {"type": "string"}


def test_conformance_check_rejects_a_reply_the_description_does_not_admit():
    """The helper the fuzz and budget tests rely on can fail: an extra field, a float amount."""
    from tests.api.described import conformance_errors

    path = "/appCommonApi/gotoRepayment"
    reply = {
        "exceptionFlag": "0000", "responseCode": "0000", "responseMessage": "还款成功",
        "timestamp": "1511841440968", "nonce": "99029623", "sign": "a" * 40,
        "resultSet": {"repaymentId": "0da6eda5-d44c-4b07-aecc-8058df81b315", "amount": "507.00"},
    }
    assert conformance_errors(path, reply) == []
    assert conformance_errors(path, {**reply, "resultSet": {**reply["resultSet"], "amount": 507.0}})
    assert conformance_errors(path, {**reply, "resultSet": {**reply["resultSet"], "extra": "1"}})
    assert conformance_errors(path, {**reply, "responseCode": "20006001"})  # a failure code with 0000
    failure = {**reply, "exceptionFlag": "9999", "responseCode": "20006001", "resultSet": ""}
    assert conformance_errors(path, failure) == []

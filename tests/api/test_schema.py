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
        envelope = item["post"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "9999" in envelope["properties"]["responseCode"]["enum"], path


def test_schema_served_as_json(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "/openCommonApi/getLoanProductList" in response.json()["paths"]


@pytest.mark.parametrize("page", ["/api/schema/docs/", "/api/schema/redoc/"])
def test_browsable_pages_use_local_assets_only(client, page):
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r'(?:src|href)=["\'](https?:)?//', html)
    assert not external, external
    assert "/static/drf_spectacular_sidecar/" in html

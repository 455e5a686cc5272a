"""The protocol layer through real HTTP requests (CONTRACT §1–§5, seed §3)."""

import gzip
import hashlib
import json
import time

import pytest
from django.conf import settings
from django.core.cache import caches

from hypothesis import given
from hypothesis import strategies as st

from cashloan.api import verification
from cashloan.api.signing import canonical_json, compute_sign, payload_sign, sign_request, signature_matches
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


# JSON values as a request or a reply can hold them (no floats: CONTRACT §1), any text.
_texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | _texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_texts, children, max_size=4),
    max_leaves=20,
)


def signed_raw(payload: dict, **kwargs) -> bytes:
    return json.dumps(sign_request(payload, settings.APP_KEY, **kwargs), ensure_ascii=False).encode()


class TestSigningVectors:
    def test_nested_body_with_chinese_and_integers_signed_by_hand(self):
        body = {"z": 1, "a": {"y": "王豆豆", "b": [2, {"d": True, "c": None}]}, "timestamp": "1508051552854", "nonce": "02589525"}
        # Sorted at every depth, compact, Chinese as itself:
        expected_text = (
            '12345678' '1508051552854' '02589525'
            '{"a":{"b":[2,{"c":null,"d":true}],"y":"王豆豆"},"nonce":"02589525","timestamp":"1508051552854","z":1}'
        )
        expected = hashlib.sha1(expected_text.encode("utf-8")).hexdigest()
        assert payload_sign(body, "12345678") == expected
        assert payload_sign({**body, "sign": "anything"}, "12345678") == expected

    def test_seed_section_27_sample_response_verifies(self):
        """CONTRACT §3: the seed's §27 sample response is a real signature."""
        sample = {
            "exceptionFlag": "0000", "responseCode": "0000", "timestamp": "1511841440968", "nonce": "99029623",
            "sign": "aede4a4c9d5626c7509a75cd715489c624ab031c", "responseMessage": "获取验证码成功",
            "resultSet": {"realName": "殷晓岚", "mobile": "admin", "availableCredit": "", "totalCredit": "",
                          "totalApplyAmount": "44900.00", "totalNeedPayAmount": "2200.00"},
        }
        assert signature_matches(sample, "12345678")
        assert not signature_matches({**sample, "responseCode": "9999"}, "12345678")

    def test_the_seed_sample_is_written_byte_for_byte_as_the_standard_library_does(self):
        from cashloan.api import signing

        assert signing.orjson is not None  # the server's form is orjson's
        sample = {
            "exceptionFlag": "0000", "responseCode": "0000", "timestamp": "1511841440968", "nonce": "99029623",
            "responseMessage": "获取验证码成功",
            "resultSet": {"realName": "殷晓岚", "mobile": "admin", "availableCredit": "", "totalCredit": "",
                          "totalApplyAmount": "44900.00", "totalNeedPayAmount": "2200.00"},
        }
        assert canonical_json(sample) == signing.stdlib_canonical_json(sample)
        assert compute_sign("12345678", "1511841440968", "99029623", canonical_json(sample)) == "aede4a4c9d5626c7509a75cd715489c624ab031c"

    @given(json_values)
    def test_any_json_is_written_as_the_standard_library_does(self, value):
        """Keys sorted at every depth, controls escaped alike, Chinese and emoji as themselves;
        integers past 64 bits fall back to the standard library itself."""
        from cashloan.api import signing

        assert canonical_json(value) == signing.stdlib_canonical_json(value)

    def test_canonical_form(self):
        assert canonical_json({"b": "é", "a": [1, {"y": 2, "x": 3}]}) == '{"a":[1,{"x":3,"y":2}],"b":"é"}'
        assert compute_sign("k", "1", "2", "{}") == hashlib.sha1(b"k12{}").hexdigest()


class TestRequests:
    def test_good_request_gets_signed_envelope(self, api):
        reply = api.post("/test/echo", {"name": "张三", "count": 3})
        assert reply.status == 200
        assert reply.body["exceptionFlag"] == "0000" and reply.code == "0000"
        assert reply.result["name"] == "张三" and reply.result["count"] == 3
        assert reply.body["nonce"].isdigit() and len(reply.body["nonce"]) == 8
        assert abs(int(reply.body["timestamp"]) - time.time() * 1000) < 60_000
        assert signature_matches(reply.body, settings.APP_KEY)

    def test_trailing_slash_works_too(self, api):
        assert api.post("/test/ping/").ok

    def test_wrong_sign(self, api):
        body = sign_request({"name": "x"}, settings.APP_KEY)
        body["name"] = "tampered"
        reply = api.post_raw("/test/echo", json.dumps(body).encode())
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "90100001")

    def test_missing_sign(self, api):
        reply = api.post_raw("/test/ping", b'{"timestamp":"1","nonce":"12345678"}')
        assert reply.code == "90100001"

    def test_signed_with_another_key(self, api):
        reply = api.post_raw("/test/ping", json.dumps(sign_request({}, "87654321")).encode())
        assert reply.code == "90100001"

    @pytest.mark.parametrize("offset_s", [-301, 301, -10_000])
    def test_stale_timestamp(self, api, offset_s):
        stamp = str(int((time.time() + offset_s) * 1000))
        reply = api.post_raw("/test/ping", signed_raw({}, timestamp=stamp))
        assert reply.code == "90100002"

    def test_timestamp_inside_window_accepted(self, api):
        stamp = str(int((time.time() - 290) * 1000))
        assert api.post_raw("/test/ping", signed_raw({}, timestamp=stamp)).ok

    def test_same_request_twice_is_a_replay(self, api):
        raw = signed_raw({"name": "once"})
        assert api.post_raw("/test/echo", raw).ok
        second = api.post_raw("/test/echo", raw)
        assert (second.body["exceptionFlag"], second.code) == ("9999", "90100003")

    def test_replay_memory_is_shared_not_per_process(self, api, settings, monkeypatch):
        """The replay is refused by a server holding another cache client (as another process would)."""
        if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
            pytest.skip("local-memory cache is per process by design; CI runs this on Redis")
        raw = signed_raw({"name": "shared"})
        assert api.post_raw("/test/echo", raw).ok
        other_client = caches.create_connection("default")  # a brand-new client and connection pool
        assert other_client is not verification.cache
        monkeypatch.setattr(verification, "cache", other_client)
        assert api.post_raw("/test/echo", raw).code == "90100003"

    @pytest.mark.parametrize(
        "raw",
        [b"not json", b"[1, 2]", b'"text"', b"", b"\xff\xfe", b'{"a": NaN}', b'{"amount": 5000.5}'],
        ids=["text", "array", "string", "empty", "bad-utf8", "nan", "float"],
    )
    def test_malformed_bodies(self, api, raw):
        reply = api.post_raw("/test/echo", raw)
        assert reply.status == 200
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "10001000")

    def test_ill_typed_field(self, api):
        reply = api.post("/test/echo", {"count": "many"})
        assert reply.code == "10001000" and "count" in reply.body["responseMessage"]

    def test_gzip_request_body(self, api):
        raw = gzip.compress(signed_raw({"name": "压缩"}))
        reply = api.post_raw("/test/echo", raw, HTTP_CONTENT_ENCODING="gzip")
        assert reply.ok and reply.result["name"] == "压缩"

    def test_bad_gzip_body(self, api):
        reply = api.post_raw("/test/echo", b"\x1f\x8b\x08 not really gzip", HTTP_CONTENT_ENCODING="gzip")
        assert reply.code == "10001000"

    def test_truncated_gzip_body(self, api):
        raw = gzip.compress(signed_raw({"name": "x"}))[:-12]
        assert api.post_raw("/test/echo", raw, HTTP_CONTENT_ENCODING="gzip").code == "10001000"

    @pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
    def test_other_methods_get_405_envelope(self, api, client, method):
        response = getattr(client, method)("/test/ping")
        assert response.status_code == 405
        reply = api.parse(response)
        assert reply.body["exceptionFlag"] == "9999"
        assert response["Allow"] == "POST"

    def test_oversized_body_413(self, api, settings):
        settings.API_MAX_BODY_BYTES = 1000
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        reply = api.post("/test/echo", {"name": "x" * 2000})
        assert reply.status == 413 and reply.body["exceptionFlag"] == "9999"

    def test_oversized_after_decompression_413(self, api, settings):
        settings.API_MAX_BODY_BYTES = 1000
        raw = gzip.compress(signed_raw({"name": "x" * 50_000}))
        assert len(raw) < 1000
        reply = api.post_raw("/test/echo", raw, HTTP_CONTENT_ENCODING="gzip")
        assert reply.status == 413

    def test_gzip_response_when_asked(self, api):
        reply = api.post("/test/echo", {"name": "z"}, HTTP_ACCEPT_ENCODING="gzip")
        assert reply.response["Content-Encoding"] == "gzip"
        assert reply.ok

    def test_no_gzip_unless_asked(self, api):
        reply = api.post("/test/echo", {"name": "z"})
        assert not reply.response.has_header("Content-Encoding")

    def test_view_that_raises_gets_9999_without_internals(self, api, caplog):
        reply = api.post("/test/boom", HTTP_X_REQUEST_ID="req-12345678")
        assert reply.status == 200
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "9999")
        text = reply.response.content.decode()
        assert "hunter2" not in text and "Traceback" not in text and "RuntimeError" not in text
        assert "req-12345678" in reply.body["responseMessage"]
        assert "req-12345678" in caplog.text and "hunter2" in caplog.text

    def test_request_id_header(self, api):
        reply = api.post("/test/ping")
        assert len(reply.response["X-Request-ID"]) == 32


class TestSessions:
    def test_login_required_without_session(self, api):
        reply = api.post("/test/private")
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "90004000")

    def _session_for(self, client, user) -> str:
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    def test_bearer_session(self, api, client):
        user = UserFactory()
        session_id = self._session_for(client, user)
        client.cookies.clear()
        reply = api.post("/test/private", session=session_id)
        assert reply.ok and reply.result["mobile"] == user.mobile

    def test_cookie_session(self, api, client):
        user = UserFactory()
        self._session_for(client, user)
        reply = api.post("/test/private")
        assert reply.ok and reply.result["mobile"] == user.mobile

    def test_unknown_bearer_token(self, api):
        assert api.post("/test/private", session="0" * 32).code == "90004000"

    def test_session_ends_when_password_changes(self, api, client):
        user = UserFactory()
        session_id = self._session_for(client, user)
        user.set_password("another-secret")
        user.save()
        assert api.post("/test/private", session=session_id).code == "90004000"

    def test_inactive_user_refused(self, api, client):
        user = UserFactory()
        session_id = self._session_for(client, user)
        user.is_active = False
        user.save()
        assert api.post("/test/private", session=session_id).code == "90004000"


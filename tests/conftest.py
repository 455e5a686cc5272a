"""Fixtures shared by the whole suite: a signed API client, users, cache isolation, the SMS outbox."""

import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from hypothesis import settings as hypothesis_settings

from cashloan.api.signing import sign_request, signature_matches

# Property tests draw fresh examples on every developer run (that is how they find bugs); CI
# draws the same ones each time (HYPOTHESIS_PROFILE=ci), so a red run is always reproducible.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@dataclass
class Reply:
    status: int
    body: dict
    response: object

    @property
    def code(self) -> str:
        return self.body["responseCode"]

    @property
    def ok(self) -> bool:
        return self.body["exceptionFlag"] == "0000"

    @property
    def result(self):
        return self.body["resultSet"]


class SignedClient:
    """Posts signed JSON through Django's test client and checks every reply's signature."""

    def __init__(self, client):
        self.client = client
        self.session_id = None

    def post(self, path: str, payload: dict | None = None, *, session: str | None = None, **extra) -> Reply:
        body = sign_request(payload or {}, settings.APP_KEY)
        return self.post_raw(path, json.dumps(body, ensure_ascii=False).encode(), session=session, **extra)

    def post_raw(self, path: str, raw: bytes, *, session: str | None = None, **extra) -> Reply:
        session = session or self.session_id
        if session:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {session}")
        response = self.client.generic("POST", path, raw, content_type="application/json", **extra)
        return self.parse(response)

    @staticmethod
    def parse(response) -> Reply:
        raw = response.content
        if response.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        body = json.loads(raw.decode("utf-8"))
        assert signature_matches(body, settings.APP_KEY), f"response signature does not verify: {body}"
        return Reply(response.status_code, body, response)

    def login(self, mobile: str, password: str) -> Reply:
        from tests.factories import encrypt_password

        reply = self.post(
            "/security/login",
            {"username": mobile, "password": encrypt_password(password), "appType": "1", "token": "device-token"},
        )
        if reply.ok:
            self.session_id = reply.result
        return reply


@pytest.fixture
def api(client) -> SignedClient:
    return SignedClient(client)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 is slow on purpose; tests whose name says ``real_hasher`` keep the configured one."""
    if "real_hasher" not in request.node.name:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings):
    """SMS go out whatever the wall clock says while the suite runs (quiet hours, CONTRACT §13,
    have their own tests, which set the hours and the clock)."""
    settings.SMS_QUIET_HOURS = ""


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Every test starts with an empty cache (only this worker's keys on a shared Redis), and
    processes check the catalogue's version on every read (each test has its own products)."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
    settings.PRODUCT_VERSION_RECHECK_SECONDS = 0
    yield


def pytest_collection_modifyitems(config, items):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL row locks; set DATABASE_URL (CI does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def browser(tmp_path):
    from tests.helpers import phone_browser

    yield from phone_browser(tmp_path)


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"


class SmsOutbox:
    """The lines the ``file`` SMS backend wrote (CONTRACT §10)."""

    def __init__(self, path: Path):
        self.path = path

    def lines(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture
def sms_outbox(settings, tmp_path) -> SmsOutbox:
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    return SmsOutbox(tmp_path / "sms.jsonl")


"""A small signed-request client for integrators, scripts and tests (standard library only).

    >>> client = SignedApiClient("http://127.0.0.1:8000", app_key="12345678")
    >>> reply = client.post("/openCommonApi/getLoanProductList", {})
    >>> reply.body["responseCode"], reply.signature_ok
"""

import gzip
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from .signing import sign_request, signature_matches

SESSION_COOKIE = "JSESSIONID"


@dataclass
class ApiReply:
    status: int
    body: dict
    signature_ok: bool
    headers: dict = field(default_factory=dict)


class SignedApiClient:
    """Posts signed JSON to a running server, keeping the session between calls."""

    def __init__(self, base_url: str, app_key: str, session_id: str | None = None, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.app_key = app_key
        self.session_id = session_id
        self.timeout = timeout

    def post(self, path: str, payload: dict | None = None, *, gzip_body: bool = False) -> ApiReply:
        data = json.dumps(sign_request(payload or {}, self.app_key), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept-Encoding": "gzip"}
        if gzip_body:
            data = gzip.compress(data)
            headers["Content-Encoding"] = "gzip"
        if self.session_id:
            headers["Authorization"] = f"Bearer {self.session_id}"
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return self._reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return self._reply(error.code, error.headers, error.read())

    def _reply(self, status: int, headers, raw: bytes) -> ApiReply:
        if headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        body = json.loads(raw.decode("utf-8"))
        self._remember_session(headers)
        return ApiReply(status, body, signature_matches(body, self.app_key), dict(headers))

    def _remember_session(self, headers) -> None:
        for value in headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(value)
            if SESSION_COOKIE in cookie and cookie[SESSION_COOKIE].value:
                self.session_id = cookie[SESSION_COOKIE].value

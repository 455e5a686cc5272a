"""A small signed-request client for integrators, scripts and tests (standard library only).

    >>> client = SignedApiClient("http://127.0.0.1:8000", app_key="12345678")
    >>> reply = client.post("/openCommonApi/getLoanProductList", {})
    >>> reply.body["responseCode"], reply.signature_ok

It needs nothing but Python 3.10+ and ``signing.py`` beside it: no Django, no Celery, no
checkout on the path. Import it with this directory on ``sys.path`` (or copy both files), or
run it as a file (README, Calling the API):

    python3 cashloan/api/client.py /openCommonApi/getLoanProductList '{}' --base-url http://127.0.0.1:8000
"""

import argparse
import gzip
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

try:
    from .signing import sign_request, signature_matches
except ImportError:  # run as a file, or imported from this directory: the package (and Celery) stays out
    from signing import sign_request, signature_matches

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


class UsageError(ValueError):
    """The body given is not a JSON object."""


def call(
    base_url: str, path: str, body_text: str, *, app_key: str, session_id: str | None = None,
    gzip_body: bool = False, write: Callable[[str], object] = print,
) -> ApiReply:
    """Sign and post a JSON object given as text, and write what came back (the command line
    below and ``manage.py call_api``). Raises UsageError, or OSError when the server is not reached."""
    try:
        payload = json.loads(body_text)
    except ValueError as error:
        raise UsageError(f"body is not JSON: {error}") from None
    if not isinstance(payload, dict):
        raise UsageError("body must be a JSON object")
    client = SignedApiClient(base_url, app_key, session_id=session_id)
    reply = client.post(path if path.startswith("/") else "/" + path, payload, gzip_body=gzip_body)
    write(f"HTTP {reply.status}")
    write(json.dumps(reply.body, ensure_ascii=False, indent=2))
    write(f"response signature {'verifies' if reply.signature_ok else 'DOES NOT verify'}")
    if client.session_id and client.session_id != session_id:
        write(f"session: {client.session_id}")
    return reply


def add_call_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="e.g. /openCommonApi/getLoanProductList")
    parser.add_argument("body", nargs="?", default="{}", help="JSON object, without timestamp/nonce/sign")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--session", default=None, help="session id from /security/login")
    parser.add_argument("--gzip", action="store_true", help="send the body gzip-compressed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sign a JSON body, post it, print the envelope and check its signature.")
    add_call_arguments(parser)
    parser.add_argument("--app-key", default=os.environ.get("APP_KEY", "12345678"), help="default: $APP_KEY, else 12345678")
    options = parser.parse_args(argv)
    try:
        call(options.base_url, options.path, options.body, app_key=options.app_key,
             session_id=options.session, gzip_body=options.gzip)
    except UsageError as error:
        parser.error(str(error))
    except OSError as error:
        print(f"could not reach {options.base_url}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

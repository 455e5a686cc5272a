"""Bugs the fuzz run (tests/api/test_fuzz.py) found, pinned as plain tests (CONTRACT §1, §4)."""

import json
import logging

import pytest
from django.conf import settings

from cashloan.api.signing import payload_sign, sign_request

pytestmark = pytest.mark.django_db

SYSTEM_MESSAGES = "/openCommonApi/getSystemMessage"


def _signed_json_ascii(payload: dict) -> bytes:
    """What a client whose JSON writer escapes non-ASCII (``\\uXXXX``) sends."""
    return json.dumps(sign_request(payload, settings.APP_KEY), ensure_ascii=True).encode()


@pytest.mark.parametrize(
    "raw",
    [
        b'{"pageNum":1,"note":"\\ud800","timestamp":"1","nonce":"12345678","sign":"' + b"a" * 40 + b'"}',
        b'{"pageNum":1,"\\udfff":"x","timestamp":"1","nonce":"12345678","sign":"' + b"a" * 40 + b'"}',
        b'{"pageNum":1,"note":["ok","\\uDBFF"],"timestamp":"1","nonce":"12345678","sign":"' + b"a" * 40 + b'"}',
    ],
    ids=["in a value", "in a key", "nested, upper case"],
)
def test_a_lone_surrogate_escape_is_a_malformed_request_not_a_server_fault(api, caplog, raw):
    """Found by the fuzz run: ``"\\ud800"`` decoded to a string UTF-8 cannot encode, and computing
    the signature raised UnicodeEncodeError: the 9999 fault envelope instead of 10001000."""
    with caplog.at_level(logging.ERROR, logger="cashloan.api"):
        reply = api.post_raw(SYSTEM_MESSAGES, raw)
    assert (reply.status, reply.code, reply.ok) == (200, "10001000", False)
    assert "UTF-8" in reply.body["responseMessage"]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_an_escaped_surrogate_pair_is_one_character_and_accepted(api):
    """``"\\ud83d\\ude00"`` is 😀: a client escaping non-ASCII characters is served as usual."""
    raw = _signed_json_ascii({"pageNum": 1, "note": "😀"})
    assert b"\\ud83d\\ude00" in raw
    reply = api.post_raw(SYSTEM_MESSAGES, raw)
    assert (reply.code, reply.ok) == ("0000", True), reply.body


def test_a_signed_timestamp_of_superscript_digits_is_stale_not_a_server_fault(api, caplog):
    """``"¹".isdigit()`` is true but ``int("¹")`` raises: a correctly signed request whose
    timestamp is written in superscripts answered 9999 instead of 90100002."""
    body = sign_request({"pageNum": 1}, settings.APP_KEY, timestamp="¹⁵¹¹⁸⁴¹⁴⁴⁰⁹⁶⁸")
    with caplog.at_level(logging.ERROR, logger="cashloan.api"):
        reply = api.post_raw(SYSTEM_MESSAGES, json.dumps(body, ensure_ascii=False).encode())
    assert (reply.code, reply.ok) == ("90100002", False)
    assert not caplog.records


def test_a_signed_400_digit_timestamp_is_stale_with_nothing_logged(api, caplog):
    """Issue 10 item 13: ``time.time() * 1000 - int("9" * 400)`` overflowed a float and answered
    9999 with an OverflowError in the log; CONTRACT §4 says a timestamp outside the window is
    90100002."""
    body = sign_request({"pageNum": 1}, settings.APP_KEY, timestamp="9" * 400)
    with caplog.at_level(logging.DEBUG):
        reply = api.post_raw(SYSTEM_MESSAGES, json.dumps(body).encode())
    assert (reply.code, reply.ok) == ("90100002", False)
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING or record.exc_info]


@pytest.mark.parametrize(
    "nonce", ["1234567", "123456789", "1234567a", "１２３４５６７８", "¹²³⁴⁵⁶⁷⁸", " 1234567", 12345678, ["12345678"]],
    ids=["7 digits", "9 digits", "letter", "full-width", "superscripts", "space", "integer", "list"],
)
def test_a_nonce_that_is_not_8_ascii_digits_is_a_malformed_request(api, nonce):
    """Issue 10 item 14, CONTRACT §3: "nonce is 8 digits"; anything else is 10001000, even
    correctly signed."""
    body = sign_request({"pageNum": 1}, settings.APP_KEY, nonce="00000000")
    body["nonce"] = nonce
    body["sign"] = payload_sign(body, settings.APP_KEY)
    reply = api.post_raw(SYSTEM_MESSAGES, json.dumps(body, ensure_ascii=False).encode())
    assert (reply.code, reply.ok) == ("10001000", False)
    assert "nonce" in reply.body["responseMessage"]


def test_an_8_digit_nonce_with_leading_zeros_is_accepted(api):
    body = sign_request({"pageNum": 1}, settings.APP_KEY, nonce="00000042")
    assert api.post_raw(SYSTEM_MESSAGES, json.dumps(body).encode()).ok

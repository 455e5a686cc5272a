"""SMS that carry a one-time code (CONTRACT §11): nobody on staff ever reads a code.

A code message is recorded with the code replaced by ``******`` (what the SMS log shows), and
its real text sealed (AES-GCM, ``cashloan.crypto``) until it is delivered; delivery, or giving up
on it, drops the sealed text. A code message sent again -- a staff resend, the re-queue job, or a
delivery that finds no sealed text -- carries a *fresh* code: messaging asks the app that issued
the code for a new one. That app registers, per SMS purpose, how to issue a code and its text
(``accounts`` does so in its ``ready``), so messaging knows nothing of the flows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from cashloan.crypto import decrypt_value, encrypt_value

from .models import SmsMessage

REDACTED = "******"


@dataclass(frozen=True)
class CodeMessage:
    text: str  # what the customer receives
    code: str  # the secret inside it

    @property
    def redacted(self) -> str:
        return redact(self.text, self.code)


Issuer = Callable[[str], CodeMessage]  # mobile → a fresh code and its text
_issuers: dict[str, Issuer] = {}


def register_issuer(purpose: str, issue: Issuer) -> None:
    _issuers[purpose] = issue


def redact(text: str, code: str) -> str:
    return text.replace(code, REDACTED) if code else text


def seal(message: CodeMessage) -> str:
    return encrypt_value(json.dumps([message.text, message.code], ensure_ascii=False))


def unseal(sealed: str) -> CodeMessage:
    text, code = json.loads(decrypt_value(sealed))
    return CodeMessage(text, code)


def renew(sms: SmsMessage) -> CodeMessage:
    """Issue a fresh code for ``sms`` (its purpose's issuer) and seal it on the row."""
    try:
        issue = _issuers[sms.purpose]
    except KeyError:
        raise LookupError(f"no code issuer registered for SMS purpose {sms.purpose!r}") from None
    message = issue(sms.mobile)
    SmsMessage.objects.filter(pk=sms.pk).update(text=message.redacted, sealed_text=seal(message))
    return message


def sealed_code(sms: SmsMessage) -> str:
    """The code sealed on the row ("" when there is none): what error texts must not show."""
    return unseal(sms.sealed_text).code if sms.sealed_text else ""

"""The identity blacklist (CONTRACT §15): entries by ID number, mobile or device token.

An ID number is kept only as its keyed digest (``cashloan.crypto.keyed_digest("id_number", …)``,
the one the identities are found by) plus a masked form for staff; a mobile and a device token
are kept as they are. An entry applies from when it is added through its expiry date
(inclusive) until it is removed; a removed entry stays, stamped.

Who consults it:

* an application (``loans.applications``) by a customer whose verified ID number, mobile or
  login device token is listed is refused with ``20005003``, whatever account it comes from;
* registration and login do not refuse (a listed customer must still reach a loan they owe and
  repay it; refusing a registration would only tell the person they are listed): they record a
  :class:`~risk.models.BlacklistHit` the risk manager reads.

Adding and removing go through :func:`add_entry` and :func:`remove_entries`: the admin, its CSV
import and ``manage.py blacklist`` alike. A staff change is in the operation log; a change from
the shell names no staff user (``created_by`` empty), as the command's output says.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.validators import id_checksum_ok, is_mobile, normalise_id_number
from cashloan.crypto import keyed_digest
from cashloan.oplog import log_change

from .models import BlacklistEntry, BlacklistHit

Kind = BlacklistEntry.Kind
MAX_DEVICE_TOKEN = 255


@dataclass(frozen=True)
class Identity:
    """What one listed identity is matched by, and how staff see it."""

    kind: str
    value: str
    shown: str


def identity(kind: str, raw: str) -> Identity:
    """Normalise and check what staff typed; ``ValidationError`` (Chinese) when it is not one."""
    raw = (raw or "").strip()
    if kind == Kind.ID_NUMBER:
        id_number = normalise_id_number(raw)
        if not id_checksum_ok(id_number):
            raise ValidationError("身份证号格式或校验位不正确")
        return Identity(kind, id_digest(id_number), mask_id_number(id_number))
    if kind == Kind.MOBILE:
        if not is_mobile(raw):
            raise ValidationError("手机号格式不正确")
        return Identity(kind, raw, raw)
    if kind == Kind.DEVICE:
        if not raw or len(raw) > MAX_DEVICE_TOKEN:
            raise ValidationError(f"设备 token 不能为空，且不超过 {MAX_DEVICE_TOKEN} 个字符")
        return Identity(kind, raw, raw)
    raise ValidationError("类型须为身份证号、手机号或设备 token")


def id_digest(id_number: str) -> str:
    return keyed_digest("id_number", normalise_id_number(id_number))


def mask_id_number(id_number: str) -> str:
    return f"{id_number[:3]}{'*' * (len(id_number) - 7)}{id_number[-4:]}"


# --- reads -----------------------------------------------------------------------------------


def in_force(today: date) -> Q:
    return Q(removed_at__isnull=True) & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))


def listed_entries(*, id_digests=(), mobile: str = "", device_token: str = "", today: date | None = None) -> list[BlacklistEntry]:
    """The entries in force that name any of these, in one query (an empty value matches
    nothing). ``id_digests``: ID-number digests, a list or a subquery of them."""
    today = today or timezone.localdate()
    wanted = Q(pk__in=[])
    if isinstance(id_digests, QuerySet):  # a subquery: never evaluated here
        wanted |= Q(kind=Kind.ID_NUMBER, value__in=id_digests)
    elif any(id_digests):
        wanted |= Q(kind=Kind.ID_NUMBER, value__in=[digest for digest in id_digests if digest])
    if mobile:
        wanted |= Q(kind=Kind.MOBILE, value=mobile)
    if device_token:
        wanted |= Q(kind=Kind.DEVICE, value=device_token)
    return list(BlacklistEntry.objects.filter(wanted).filter(in_force(today)).order_by("pk"))


def record_hits(entries: Iterable[BlacklistEntry], user, event: str) -> None:
    BlacklistHit.objects.bulk_create(BlacklistHit(entry=entry, user=user, event=event) for entry in entries)


def consult(user, *, event: str, device_token: str = "", id_digests=()) -> list[BlacklistEntry]:
    """Registration and login: the entries naming this customer, each recorded as a hit."""
    entries = listed_entries(id_digests=id_digests, mobile=user.mobile or "", device_token=device_token)
    record_hits(entries, user, event)
    return entries


# --- writes ----------------------------------------------------------------------------------


def add_entry(kind: str, raw: str, *, reason: str, expires_on: date | None = None, by=None) -> tuple[BlacklistEntry, bool]:
    """List an identity; (entry, True) when added, (entry, False) when it was listed already
    (its reason and expiry are then replaced). ``by``: the staff user, None from the shell."""
    listed = identity(kind, raw)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写加入黑名单的原因")
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError("有效期不能早于今天")
    with transaction.atomic():
        entry = BlacklistEntry.objects.select_for_update().filter(kind=kind, value=listed.value, removed_at__isnull=True).first()
        if entry is not None:
            before = (entry.reason, entry.expires_on)
            entry.reason, entry.expires_on = reason[:200], expires_on
            entry.save(update_fields=["reason", "expires_on"])
            _log(by, entry, {"原因": (before[0], entry.reason), "有效期至": (before[1], entry.expires_on)}, "更新黑名单")
            return entry, False
        try:
            with transaction.atomic():
                entry = BlacklistEntry.objects.create(
                    kind=kind, value=listed.value, shown=listed.shown, reason=reason[:200], expires_on=expires_on, created_by=by
                )
        except IntegrityError:  # a concurrent add of the same identity won
            raise ValidationError("该身份已在黑名单中") from None
        _log(by, entry, {"原因": (None, entry.reason), "有效期至": (None, entry.expires_on)}, "加入黑名单", added=True)
        return entry, True


def remove_entry(entry: BlacklistEntry, *, by=None, reason: str = "", log: bool = True) -> BlacklistEntry:
    """Stamp the entry removed; ``log=False`` when the caller (an admin action) writes the log row."""
    with transaction.atomic():
        entry = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.removed_at is not None:
            raise ValidationError("该条目已移除")
        entry.removed_at, entry.removed_by = timezone.now(), by
        entry.save(update_fields=["removed_at", "removed_by"])
        if log:
            _log(by, entry, {"状态": ("在册", "已移除")}, "移出黑名单", reason=reason)
    return entry


def remove_identity(kind: str, raw: str, *, by=None, reason: str = "") -> int:
    """Remove the identity's entry; how many were removed (0: it was not listed)."""
    listed = identity(kind, raw)
    entries = BlacklistEntry.objects.filter(kind=kind, value=listed.value, removed_at__isnull=True)
    return sum(1 for entry in entries if remove_entry(entry, by=by, reason=reason))


def _log(by, entry: BlacklistEntry, changes: dict, verb: str, *, reason: str = "", added: bool = False) -> None:
    if by is not None:
        log_change(by, entry, changes=changes, reason=reason or entry.reason, verb=verb, added=added)


# --- CSV import --------------------------------------------------------------------------------

CSV_HEADER = ("类型", "值", "原因", "有效期至")
KIND_WORDS = {
    "身份证号": Kind.ID_NUMBER, "身份证": Kind.ID_NUMBER, "id_number": Kind.ID_NUMBER,
    "手机号": Kind.MOBILE, "手机": Kind.MOBILE, "mobile": Kind.MOBILE,
    "设备": Kind.DEVICE, "设备 token": Kind.DEVICE, "device": Kind.DEVICE,
}


@dataclass(frozen=True)
class ImportRow:
    line: int
    kind: str
    raw: str
    reason: str
    expires_on: date | None


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


def parse_csv(data: bytes) -> list[ImportRow]:
    """Every row checked before any is written: ``ValidationError`` lists the bad lines."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("文件须为 UTF-8 编码的 CSV") from None
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader, [])]
    if tuple(header[: len(CSV_HEADER)]) != CSV_HEADER:
        raise ValidationError(f"第 1 行须为表头：{','.join(CSV_HEADER)}")
    rows, errors = [], []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cells = [cell.strip() for cell in cells] + [""] * len(CSV_HEADER)
        kind_word, raw, reason, expires = cells[:4]
        try:
            row = _import_row(line, kind_word, raw, reason, expires)
        except ValidationError as error:
            errors.append(f"第 {line} 行：{'；'.join(error.messages)}")
            continue
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError("文件中没有条目")
    return rows


def _import_row(line: int, kind_word: str, raw: str, reason: str, expires: str) -> ImportRow:
    kind = KIND_WORDS.get(kind_word)
    if kind is None:
        raise ValidationError(f"类型「{kind_word}」须为身份证号、手机号或设备")
    identity(kind, raw)
    if not reason:
        raise ValidationError("原因不能为空")
    try:
        expires_on = date.fromisoformat(expires) if expires else None
    except ValueError:
        raise ValidationError(f"有效期「{expires}」须为 YYYY-MM-DD") from None
    return ImportRow(line, kind, raw, reason, expires_on)


def import_rows(rows: list[ImportRow], *, by) -> ImportResult:
    """All or nothing: one transaction."""
    added = updated = 0
    with transaction.atomic():
        for row in rows:
            try:
                _, created = add_entry(row.kind, row.raw, reason=row.reason, expires_on=row.expires_on, by=by)
            except ValidationError as error:
                raise ValidationError(f"第 {row.line} 行：{'；'.join(error.messages)}") from None
            added, updated = added + created, updated + (not created)
    return ImportResult(added, updated)

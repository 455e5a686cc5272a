"""The proof attached to an offline repayment: an image (JPEG, PNG) or a PDF, by what the file
is (its first bytes), not what it is called; at most ``OFFLINE_PROOF_MAX_BYTES``. Stored under
``MEDIA_ROOT`` with a name of ours, and served only to staff (``loans.finance_admin``)."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile


@dataclass(frozen=True)
class ProofType:
    extension: str
    content_type: str
    magic: bytes


PROOF_TYPES = (
    ProofType("jpg", "image/jpeg", b"\xff\xd8\xff"),
    ProofType("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ProofType("pdf", "application/pdf", b"%PDF-"),
)
NAME_EXTENSIONS = {"jpg": "jpg", "jpeg": "jpg", "png": "png", "pdf": "pdf"}


def sniff(head: bytes) -> ProofType | None:
    return next((kind for kind in PROOF_TYPES if head.startswith(kind.magic)), None)


def checked_proof(upload: UploadedFile) -> UploadedFile:
    """The upload renamed ``<uuid>.<ext>``, or ``ValidationError`` (Chinese) naming what is wrong."""
    limit = settings.OFFLINE_PROOF_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError("凭证文件为空")
    if upload.size > limit:
        raise ValidationError(f"凭证文件不能超过 {limit / 1024 / 1024:.0f} MB")
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    named = NAME_EXTENSIONS.get((upload.name or "").rsplit(".", 1)[-1].lower())
    if kind is None or named != kind.extension:
        raise ValidationError("凭证须为 JPG、PNG 图片或 PDF 文件（按文件内容检查，扩展名须与内容一致）")
    upload.name = f"{uuid.uuid4().hex}.{kind.extension}"
    return upload


def content_type_of(stored) -> str:
    """What a stored proof is, read from its bytes again (never from its name)."""
    with stored.open("rb") as file:
        kind = sniff(file.read(16))
    return kind.content_type if kind else "application/octet-stream"

"""Reads of messaging: message lists and H5 page texts."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .h5_texts import DEFAULT_PAGES
from .models import CustomerMessage, H5Page, SystemMessage


# --- Messages (§24, §25) ----------------------------------------------------------------------


def customer_messages(user) -> QuerySet[CustomerMessage]:
    """The user's own messages, newest first."""
    return CustomerMessage.objects.filter(user=user).order_by("-sent_at", "-id")


def published_system_messages(now: datetime | None = None) -> QuerySet[SystemMessage]:
    """System messages whose publish time has come, newest first."""
    return SystemMessage.objects.filter(publish_at__lte=now or timezone.now()).order_by("-publish_at", "-id")


# --- H5 pages (§5, §6) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[list[str]]  # each paragraph is its lines


@dataclass(frozen=True)
class PageText:
    title: str
    body: str

    @property
    def sections(self) -> list[Section]:
        return split_sections(self.body)


_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十\d]+条).{0,30}$|^.{1,30}[？?]$")


def split_sections(body: str) -> list[Section]:
    """Plain text → sections: a blank line ends a paragraph; a short first line such as
    "一、账户注册" or a question ending in "？" heads a new section."""
    sections: list[Section] = [Section("", [])]
    for block in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines and _HEADING.match(lines[0]):
            sections.append(Section(lines[0], []))
            lines = lines[1:]
        if lines:
            sections[-1].paragraphs.append(lines)
    return [section for section in sections if section.heading or section.paragraphs]


def h5_page_text(slug: str) -> PageText:
    """The text staff saved in the admin, or the shipped default when there is none."""
    page = H5Page.objects.filter(slug=slug).only("title", "body").first()
    if page is not None:
        return PageText(page.title, page.body)
    title, body = DEFAULT_PAGES[slug]
    return PageText(title, body)

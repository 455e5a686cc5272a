"""Helpers shared by the messaging tests (and the loan contract's, an H5 page too)."""

import re


def assert_self_contained(html: str) -> None:
    """No external asset of any kind: nothing to load but inline data (the empty favicon)."""
    assert 'name="viewport"' in html
    references = re.findall(r'(?:src|href|action)\s*=\s*["\']([^"\']*)', html, flags=re.I)
    references += re.findall(r"url\(([^)]*)\)", html, flags=re.I)
    references += re.findall(r"@import\s+([^;]+)", html, flags=re.I)
    assert [ref for ref in references if re.match(r"\s*['\"]?\s*(https?:)?//", ref)] == []
    assert [ref for ref in references if not ref.startswith("data:")] == []  # not even a relative one
    assert "<script" not in html.lower() and "<img" not in html.lower()

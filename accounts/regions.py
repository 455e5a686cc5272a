"""Names of the six-digit administrative division codes (GB/T 2260) that the app sends for
addresses and that begin every ID number.

The table is python-stdnum's (``stdnum/cn/loc.dat``: the codes ID numbers were issued under,
old ones included, each with its names over the years); a code reads as its province, its
prefecture and its county, each by its latest name: ``440305`` → 广东省深圳市南山区.
"""

from __future__ import annotations

from functools import cache

from stdnum import numdb

UNKNOWN = "未知地区"
# Placeholders of the table rather than places (北京市 4401xx's 市辖区, 1102xx's 县).
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位", "自治区直辖县级行政单位", "省直辖县级行政单位"}


def _latest(name: str) -> str:
    """``"[1983-1989]南头区办事处,[1990-]南山区"`` → ``"南山区"``."""
    last = name.split(",")[-1]
    return last.split("]", 1)[1] if last.startswith("[") and "]" in last else last


@cache
def _names() -> dict[str, str]:
    """Each code's own name: ``"44"`` 广东省, ``"4403"`` 深圳市, ``"440305"`` 南山区."""
    names: dict[str, str] = {}
    for _, province, _, province_info, places in numdb.get("cn/loc").prefixes:
        names[province] = _latest(province_info.get("province", ""))
        for _, code, _, info, _ in places:
            name = _latest(info.get("county", ""))
            key = province + (code[:2] if code.endswith("00") else code)
            if name and name not in PLACEHOLDERS and code != "0000":
                names[key] = name
    return names


def region_name(code: str | None) -> str:
    """``"110000"`` → 北京市, ``"440300"`` → 广东省深圳市, ``"440305"`` → 广东省深圳市南山区; a
    prefix of 2 or 4 digits (``"44"``, ``"4403"``) reads the same way. A code the table does not
    know → 未知地区 with the code, so staff can still look it up."""
    code = (code or "").strip()
    names = _names()
    if len(code) not in (2, 4, 6) or not code.isascii() or not code.isdigit() or code[:2] not in names:
        return f"{UNKNOWN}（{code}）" if code else UNKNOWN
    parts = [names[code[:2]]]
    for key in (code[:4], code):
        name = names.get(key)
        if len(key) > 2 and name and name not in parts:
            parts.append(name)
    return "".join(parts)


def code_with_name(code: str) -> str:
    """``"6501"`` → ``"6501（新疆维吾尔自治区乌鲁木齐市）"``: a code staff typed, with its place."""
    return f"{code}（{region_name(code)}）"


def province_name(code: str | None) -> str:
    """``"110108"`` → 北京市."""
    return _names().get((code or "")[:2], UNKNOWN)


def address_text(region_code: str | None, detail: str) -> str:
    """``("440305", "科技园1号")`` → ``"广东省深圳市南山区 科技园1号"``."""
    return f"{region_name(region_code)} {detail}".strip()

"""Pure checks of customer data (CONTRACT §7): mobiles, GB 11643 ID numbers, Luhn, names."""

import re
from datetime import date

MOBILE_RE = re.compile(r"\A1[3-9]\d{9}\Z", re.ASCII)
_ID_RE = re.compile(r"\A\d{17}[\dX]\Z", re.ASCII)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_CARD_RE = re.compile(r"\A\d{12,19}\Z", re.ASCII)
# Chinese names (with the middle dot of minority names) or Latin letters with spaces.
_NAME_RE = re.compile(r"\A(?:[\u4e00-\u9fff]+(?:[·•][\u4e00-\u9fff]+)*|[A-Za-z]+(?:[ .'-][A-Za-z]+)*)\Z")

MIN_AGE = 18
MAX_AGE = 70


def is_mobile(value: str) -> bool:
    return bool(MOBILE_RE.match(value or ""))


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper()


def id_checksum_ok(id_number: str) -> bool:
    """GB 11643-1999: 17 digits weighted mod 11, check character from ``10X98765432``."""
    if not _ID_RE.match(id_number):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(id_number[:17], _ID_WEIGHTS))
    return _ID_CHECK_CHARS[total % 11] == id_number[17]


def id_birth_date(id_number: str) -> date | None:
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def id_number_problem(id_number: str, today: date) -> str | None:
    """Why an ID number is not acceptable, or None: checksum, then a plausible birth date."""
    if not id_checksum_ok(id_number):
        return "身份证号码校验失败"
    birth = id_birth_date(id_number)
    if birth is None or birth > today:
        return "身份证号码中的出生日期无效"
    if not MIN_AGE <= age_on(birth, today) <= MAX_AGE:
        return f"年龄须在{MIN_AGE}至{MAX_AGE}周岁之间"
    return None


def luhn_ok(number: str) -> bool:
    if not (number.isascii() and number.isdigit()):
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def is_bank_card(number: str) -> bool:
    return bool(_CARD_RE.match(number or "")) and luhn_ok(number)


def normalise_name(value: str) -> str:
    """The seed's own sample writes ``王 豆 豆``: spaces between Chinese characters are dropped."""
    value = " ".join((value or "").split())
    if re.search(r"[\u4e00-\u9fff]", value):
        value = value.replace(" ", "")
    return value


def is_person_name(value: str) -> bool:
    return 0 < len(value) <= 50 and bool(_NAME_RE.match(value))

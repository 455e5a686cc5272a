"""Known-good customer data for the accounts tests."""

import json
import re
from pathlib import Path

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(birth: str = "19900307", region: str = "110101", sequence: str = "123") -> str:
    """A GB 11643 ID number with the right check character."""
    body = region + birth + sequence
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11]


GOOD_ID = id_number()  # 11010119900307123?, aged 18-70 until 2060
OTHER_ID = id_number(birth="19851212", sequence="456")
GOOD_CARD = "6222020200112233446"  # Luhn-valid, 19 digits
OTHER_CARD = "4111111111111111"

PERSONAL_INFO = {
    "education": "5",
    "maritalStatus": "1",
    "registry_province": "110000",
    "registry_city": "110000",
    "registry_detail": "演示",
    "house_address_province": "110000",
    "house_address_city": "110000",
    "house_address_county": "110108",
    "house_address_detail": "演示 演示",
    "residenceLength": "01",
    "industryType": "3",
    "work_address_province": "110000",
    "work_address_city": "110000",
    "work_address_county": "110108",
    "work_address_detail": "演示",
    "workingHours": "01",
    "currentWorkInfo": "北京中科博润科技股份有限公司",
    "currentPosition": "演示",
    "monthIncome": "10000",
    "payrollDay": "10",
}


def sms_codes(path: Path, mobile: str) -> list[str]:
    """Every 6-digit code texted to ``mobile`` by the file backend, oldest first."""
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        sms = json.loads(line)
        if sms["mobile"] == mobile:
            found.append(re.search(r"\d{6}", sms["text"]).group())
    return found

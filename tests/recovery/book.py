"""A collections book to walk in the browser: three collectors, cases in every bucket (the daily
job run 30 days ago and over the last three days, so the reports have roll rates), promises
pending and broken, contacts logged, one case repaid (recovered)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module

from django.utils import timezone

from accounts.models import Identity
from loans.overdue import mark_overdue
from loans.repayments import repay
from recovery.assignment import reassign
from recovery.contacts import log_contact
from recovery.models import CaseStatus, CollectionCase, DunningTemplate
from tests.backoffice.helpers import customer_with_file
from tests.loans.helpers import disbursed_loan
from tests.recovery.helpers import collector, lead

# name, days past due today, collector
LOANS = [
    ("赵一", 3, "zhangsan"),
    ("钱二", 12, "zhangsan"),
    ("孙三", 25, "zhangsan"),
    ("李四", 40, "zhangsan"),
    ("周五", 55, "lisi"),
    ("吴六", 75, "lisi"),
    ("郑七", 120, "wangwu"),
    ("冯八", 20, "zhangsan"),  # repays yesterday: the case is closed, the money recovered
]


def id_number(serial: int) -> str:
    """A valid GB 11643 number of someone born in 1990 (a distinct one per ``serial``)."""
    body = f"11010119900101{serial:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


@dataclass
class Book:
    today: date
    collectors: dict
    lead: object
    cases: dict  # borrower name → case

    def case(self, name: str) -> CollectionCase:
        return CollectionCase.objects.get(pk=self.cases[name].pk)


def dunning_texts() -> None:
    """The texts the migration writes (the flush after a transactional test removes them)."""
    texts = import_module("recovery.migrations.0002_default_dunning_templates").TEXTS
    for bucket, text in texts.items():
        DunningTemplate.objects.get_or_create(bucket=bucket, defaults={"text": text})


def a_book() -> Book:
    dunning_texts()
    today = timezone.localdate()
    people = {
        "zhangsan": collector("zhangsan", real_name="张三"),
        "lisi": collector("lisi", real_name="李四"),
        "wangwu": collector("wangwu", real_name="王五"),
    }
    boss = lead("boss")
    loans = {}
    for serial, (name, dpd, _) in enumerate(LOANS, start=1):
        user = customer_with_file(id_number(serial))
        user.__class__.objects.filter(pk=user.pk).update(real_name=name)
        Identity.objects.filter(user=user).update(real_name=name)
        user.refresh_from_db()
        loans[name] = disbursed_loan(today - timedelta(days=14 + dpd), user=user, apply_amount=Decimal(500 + 100 * serial),
                                     contact_name=f"{name[0]}母", contact_phone=f"1370000{serial:04d}")
    mark_overdue(today - timedelta(days=30))
    mark_overdue(today - timedelta(days=2))
    cases = {case.loan.user.real_name: case for case in CollectionCase.objects.select_related("loan__user")}
    for name, _, username in LOANS:
        reassign(cases[name], people[username], by=boss, note="按组分案")
    two_days_ago = today - timedelta(days=2)
    # 孙三 and 吴六 promised yesterday and did not pay: broken today.
    log_contact(cases["孙三"], people["zhangsan"], channel="call", result="promise", note="说昨天还",
                promise_date=today - timedelta(days=1), promise_amount=Decimal("300.00"), today=two_days_ago)
    log_contact(cases["吴六"], people["lisi"], channel="call", result="promise",
                promise_date=today - timedelta(days=1), promise_amount=Decimal("1500.00"), today=two_days_ago)
    log_contact(cases["李四"], people["zhangsan"], channel="call", result="no_answer", today=two_days_ago)
    log_contact(cases["郑七"], people["wangwu"], channel="sms", result="refused", note="称已失业", today=two_days_ago)
    mark_overdue(today - timedelta(days=1))
    paid = loans["冯八"]
    repay(paid.user, str(paid.periods.get().pk), "current", today=today - timedelta(days=1))
    mark_overdue(today)
    # 钱二 promises for the day after tomorrow.
    log_contact(cases["钱二"], people["zhangsan"], channel="call", result="promise", note="发工资后还",
                promise_date=today + timedelta(days=2), promise_amount=Decimal("800.00"), today=today)
    assert CollectionCase.objects.get(pk=cases["冯八"].pk).status == CaseStatus.REPAID
    return Book(today, people, boss, cases)

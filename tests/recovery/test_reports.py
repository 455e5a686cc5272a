"""The collections lead's reports (issue 16 item 6): open cases by collector and bucket, roll
rates, recovered amounts, each exported."""

import csv
import io

import pytest
from django.contrib.admin.models import LogEntry

from loans.repayments import repay
from recovery import reports
from tests.recovery.helpers import (
    collector,
    day,
    lead,
    open_case_of,
    run_job,
    seed_loan,
)

pytestmark = pytest.mark.django_db

PAGE = "/admin/recovery/collectionreport/"


@pytest.fixture
def history():
    """Collectors a and b; four seed loans overdue from 01-16; on day 20 one is repaid (a's or b's)."""
    collector("a")
    collector("b")
    loans = [seed_loan() for _ in range(4)]
    run_job(10)
    run_job(20)
    paid = loans[0]
    paid_by = open_case_of(paid).collector.username
    repay(paid.user, str(paid.periods.get().pk), "all", today=day(20))  # 500 + 7.00 + 20 × 0.75 = 522.00
    run_job(40)
    return loans, paid_by


def test_open_cases_by_collector_and_bucket(history):
    """At the end of day 20: three cases left, each 507.00 + 20 × 0.75 = 522.00 (M1)."""
    rows, total = reports.open_by_collector(day(20))
    assert (total.total.count, str(total.total.amount)) == (3, "1566.00")
    assert (total.cells["M1"].count, total.cells["M2"].count) == (3, 0)
    assert sorted(row.total.count for row in rows) == [1, 2]
    rows, total = reports.open_by_collector(day(40))
    assert (total.cells["M1"].count, total.cells["M2"].count, str(total.total.amount)) == (0, 3, "1611.00")  # 3 × (507.00 + 40 × 0.75)


def test_roll_rates_follow_cases_thirty_days_on(history):
    """Day 10: four cases in M1; day 40: three of them in M2 (one was repaid)."""
    rates = {rate.bucket: rate for rate in reports.roll_rates(day(10))}
    assert (rates["M1"].cases, rates["M1"].rolled, rates["M1"].rate) == (4, 3, "75%")
    assert (rates["M2"].cases, rates["M2"].rate) == (0, "—")


def test_recovered_amounts_by_collector_and_bucket(history):
    loans, paid_by = history
    rows, total = reports.recovered(day(1), day(30))
    assert [(row.name, row.cells["M1"].count, str(row.cells["M1"].amount)) for row in rows] == [(paid_by, 1, "522.00")]
    assert reports.recovered(day(21), day(30))[1].total.count == 0


def test_a_reversed_repayment_is_not_recovered_money(history):
    from loans import reversals
    from loans.models import Repayment
    from tests.backoffice.helpers import staff_in

    loans, paid_by = history
    reversal = reversals.propose_reversal(Repayment.objects.get(application=loans[0]), reason="银行退票", by=staff_in("财务"))
    reversals.approve_reversal(reversal, by=staff_in("财务"), today=day(41))
    assert reports.recovered(day(1), day(30))[1].total.count == 0


def test_the_page_and_its_exports(client, history):
    boss = lead()
    client.force_login(boss)
    response = client.get(PAGE, {"on": day(20).isoformat(), "roll_from": day(10).isoformat(), "start": day(1).isoformat(), "end": day(30).isoformat()})
    html = response.content.decode()
    assert response.status_code == 200 and "1566.00" in html and "75%" in html and "522.00" in html
    export = client.get(PAGE, {"on": day(20).isoformat(), "table": "open", "format": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert lines[0][:3] == ["催收员", "M1 件数", "M1 金额"]
    assert lines[-1][0] == "合计" and lines[-1][-2:] == ["3", "1566.00"]
    assert LogEntry.objects.filter(user=boss, change_message__startswith="导出在催案件").exists()
    assert client.get(PAGE, {"table": "roll", "format": "xlsx"}).status_code == 200


def test_a_collector_has_no_reports(client, history):
    client.force_login(collector("c"))
    assert client.get(PAGE).status_code == 403


@pytest.mark.parametrize("roll_from", ["9999-12-31", "9999-12-20"])
def test_a_roll_date_near_the_calendars_end_is_refused_not_a_500(client, history, roll_from):
    """Thirty days after it is past year 9999 (OverflowError): the form says no, the defaults show."""
    client.force_login(lead())
    response = client.get(PAGE, {"roll_from": roll_from})
    assert response.status_code == 200 and "迁徙起始日不能晚于今天" in response.content.decode()
    assert client.get(PAGE, {"roll_from": roll_from, "table": "roll", "format": "csv"}).status_code == 200

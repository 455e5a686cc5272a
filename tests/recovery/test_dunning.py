"""Dunning SMS (CONTRACT §13): for a loan with an open case the bucket's text, which staff edit,
replaces the daily overdue notice; one SMS per loan a day; nothing after a write-off."""

from datetime import date

import pytest

from loans.notices import send_daily_notices
from loans.overdue import mark_overdue
from loans.writeoff import write_off
from messaging.models import CustomerMessage, SmsMessage
from recovery.dunning import render
from recovery.models import DunningTemplate
from tests.loans.helpers import disbursed_loan, staff_user
from tests.recovery.helpers import day, lead, run_job, seed_loan

pytestmark = pytest.mark.django_db


DAILY = ["reminder", "overdue", "dunning"]  # the purposes under the one-a-day cap


def daily_sms():
    return SmsMessage.objects.filter(purpose__in=DAILY).order_by("pk")


def notices(loan):
    return list(CustomerMessage.objects.filter(application=loan, message_type=17).values_list("title", "content"))


def test_a_loan_in_collection_gets_its_buckets_text_instead_of_the_overdue_notice(sms_outbox, django_capture_on_commit_callbacks):
    DunningTemplate.objects.filter(bucket="M1").update(text="{姓名}您好，已逾期{逾期天数}天，应还{金额}元，最早{到期日}到期。")
    loan = seed_loan(user__real_name="王豆豆")
    run_job(5)
    with django_capture_on_commit_callbacks(execute=True):
        summary = send_daily_notices(day(5))
    assert (summary.overdue, summary.dunning) == (0, 1)
    text = "王豆豆您好，已逾期5天，应还510.75元，最早2025年1月15日到期。"  # 507.00 + 5 × 0.75
    assert notices(loan) == [("逾期还款提醒", text)]
    assert list(daily_sms().values_list("purpose", "text")) == [("dunning", text)]
    assert text in [line["text"] for line in sms_outbox.lines()]
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_notices(day(5)).dunning == 0  # once a day


def test_the_text_follows_the_bucket(sms_outbox):
    loan = seed_loan(user__real_name="王豆豆")
    run_job(31)
    send_daily_notices(day(31))
    assert "已逾期31天" in notices(loan)[0][1] and "协商还款" in notices(loan)[0][1]  # M2's default text


def test_a_loan_without_a_case_gets_the_overdue_notice(sms_outbox):
    loan = seed_loan()
    summary = send_daily_notices(day(2))  # the job has not run: no case
    assert (summary.overdue, summary.dunning) == (1, 0)
    assert "逾期还款提醒" == notices(loan)[0][0] and "第1期" in notices(loan)[0][1]


def test_one_sms_a_loan_a_day_covers_the_reminder_too(sms_outbox, django_capture_on_commit_callbacks):
    """3000 over 3 months from 01-15: on 03-12 period 1 is 25 days late (a case, dunning) and
    period 2 falls due in 3 days (a reminder): both in the app, one SMS, the dunning one."""
    loan = disbursed_loan(date(2025, 1, 15), instalments=True)
    mark_overdue(date(2025, 3, 12))
    with django_capture_on_commit_callbacks(execute=True):
        summary = send_daily_notices(date(2025, 3, 12))
    assert (summary.dunning, summary.reminders) == (1, 1)
    assert CustomerMessage.objects.filter(application=loan, message_type__in=[15, 17]).count() == 2
    assert list(daily_sms().values_list("purpose", flat=True)) == ["dunning"]
    assert sum("逾期" in line["text"] or "到期" in line["text"] for line in sms_outbox.lines()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        send_daily_notices(date(2025, 3, 13))
    assert daily_sms().count() == 2  # the next day, the next one


def test_no_dunning_after_a_write_off(sms_outbox):
    loan = seed_loan()
    run_job(179)
    write_off(loan, staff_user(), "失联", today=day(180))
    assert send_daily_notices(day(181)) == send_daily_notices(day(181)).__class__(reminders=0, overdue=0, dunning=0)
    assert not daily_sms().filter(purpose="dunning").exists()


class TestTemplates:
    def test_render_fills_every_placeholder(self):
        text = render("{姓名}/{金额}/{逾期天数}/{到期日}", name="甲", amount="1.00", dpd=3, due_date=date(2025, 1, 5))
        assert text == "甲/1.00/3/2025年1月5日"

    def test_the_lead_edits_a_text_and_unknown_placeholders_are_refused(self, client):
        client.force_login(lead())
        template = DunningTemplate.objects.get(bucket="M3")
        url = f"/admin/recovery/dunningtemplate/{template.pk}/change/"
        response = client.post(url, {"text": "{姓名}请还款{本金}"})
        assert response.status_code == 200 and "未知的占位符：本金" in response.content.decode()
        response = client.post(url, {"text": "{姓名}请尽快还款{金额}元"})
        assert response.status_code == 302
        template.refresh_from_db()
        assert template.text == "{姓名}请尽快还款{金额}元"

    @pytest.mark.parametrize("text", ["{金额:d}", "{姓名!x}", "{逾期天数:>999999999}", "{姓名!r}", "{到期日:%Y}"])
    def test_a_format_spec_or_conversion_is_refused(self, client, text):
        """Only plain ``{名称}``: a spec or conversion that cannot render (``{金额:d}``: 金额 is a
        string) would raise in the daily notices job, for every loan of the bucket."""
        client.force_login(lead())
        template = DunningTemplate.objects.get(bucket="M1")
        response = client.post(f"/admin/recovery/dunningtemplate/{template.pk}/change/", {"text": f"请还款{text}"})
        assert response.status_code == 200 and "占位符只能写作" in response.content.decode()
        assert DunningTemplate.objects.get(pk=template.pk).text == template.text

    def test_a_collector_cannot_edit_texts(self, client):
        from tests.recovery.helpers import collector

        client.force_login(collector("c"))
        template = DunningTemplate.objects.get(bucket="M1")
        assert client.get(f"/admin/recovery/dunningtemplate/{template.pk}/change/").status_code == 403

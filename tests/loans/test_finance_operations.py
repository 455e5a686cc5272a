"""Finance's operations on a loan (CONTRACT §15), through their services: offline repayments,
waivers and reversals, each with four eyes and its ledger effect -- balanced, reconciling, the
§14 invariants after a waiver and after a reversal -- with hand-worked figures.

The loans: 3000 over 3 months at 12 % flat disbursed 2025-01-01 (periods of 1000 + 30.00
interest + 5.00 fee due 02-01, 03-01, 04-01; service fee 30.00), and 1000 for 14 days at 36 %
disbursed 2025-03-01 (one period, 1000 + 14.00 due 03-15; service fee 100.00). Penalty 54 % a
year on the unpaid principal: 1000 × 0.54 / 360 = 1.50 a day.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ledger.accounts import EntryKind
from ledger.models import JournalEntry, JournalLine
from ledger.selectors import loan_balances, unbalanced_entry_count
from loans import offline, repayments, reversals, waivers
from loans.finance_models import Decision, WaiverLine
from loans.models import ApplicationStatus, LoanApplication, Repayment, StatusChange
from loans.overdue import mark_overdue
from loans.reconciliation import reconcile
from loans.selectors import period_figures, user_center
from messaging.models import CustomerMessage
from tests.backoffice.helpers import staff_in
from tests.loans.helpers import disbursed_loan

pytestmark = pytest.mark.django_db

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def finance():
    return staff_in("财务")


@pytest.fixture
def second_finance():
    return staff_in("财务")


@pytest.fixture
def risk_manager():
    return staff_in("风控")


def instalment_loan(**fields) -> LoanApplication:
    return disbursed_loan(date(2025, 1, 1), instalments=True, period_fee=D("5.00"), **fields)


def short_loan(**fields) -> LoanApplication:
    from tests.factories import LoanFactory

    loan = LoanFactory(**fields)
    from loans import lifecycle

    lifecycle.approve(loan, None)
    return lifecycle.disburse(loan, None, on=date(2025, 3, 1))


def proof(name="回单.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def period(loan, number):
    return loan.periods.get(number=number)


def balances(loan, day) -> dict[str, int]:
    return {account: value for account, value in loan_balances(loan.pk, day).items() if value}


def assert_reconciles(*days):
    assert unbalanced_entry_count() == 0
    for day in days:
        assert [str(d) for d in reconcile(day, record=False).differences] == [], day


def record(loan, by, **fields):
    values = dict(kind="current", period=period(loan, 1), received_on=date(2025, 2, 3), channel="bank_transfer", reference="B20250203001")
    values.update(fields)
    return offline.record_offline_repayment(loan, proof=proof(), by=by, today=values.pop("today", date(2025, 2, 5)), **values)


class TestOfflineRepayment:
    def test_recorded_then_confirmed_by_a_second_finance_user(self, finance, second_finance, settings, tmp_path):
        settings.MEDIA_ROOT = str(tmp_path)
        loan = instalment_loan()
        for day in (4, 5):
            mark_overdue(date(2025, 2, day))  # period 1 four days late on 02-05: 6.00 penalty on the books
        # received 02-03, two days late: 1000 + 30.00 + 5.00 + 1000 × 0.54 × 2 / 360 = 3.00 → 1038.00
        entry = record(loan, finance, amount=D("1038.00"))
        assert entry.status == Decision.PENDING and not Repayment.objects.exists()
        assert entry.proof.name.endswith(".pdf") and "回单" not in entry.proof.name
        with pytest.raises(ValidationError, match="经办人不能复核自己"):
            offline.confirm_offline_repayment(entry, by=finance, today=date(2025, 2, 5))
        entry = offline.confirm_offline_repayment(entry, by=second_finance, today=date(2025, 2, 5))
        repayment = entry.repayment
        assert (entry.status, entry.decided_by) == (Decision.APPROVED, second_finance)
        assert (repayment.kind, repayment.amount, repayment.penalty, repayment.provider, repayment.provider_reference) == (
            "current", D("1038.00"), D("3.00"), "offline", "B20250203001"
        )
        assert repayment.effective_date == date(2025, 2, 5)  # the books learn of it on confirmation
        first = period(loan, 1)
        assert (first.settlement, first.paid_penalty, first.repayment_id) == (1, D("3.00"), repayment.pk)
        # The 6.00 the job put on 1134 is settled; income keeps the 3.00 paid.
        assert balances(loan, date(2025, 2, 5)) == {
            "1002": -297000 + 103800, "1303": 200000, "6011": -3000, "6021": -3000 - 500, "6031": -300,
        }
        assert_reconciles(date(2025, 2, 4), date(2025, 2, 5))
        assert CustomerMessage.objects.filter(user=loan.user, title="还款成功").count() == 1

    def test_it_posts_what_the_app_posts(self, finance, second_finance, settings, tmp_path):
        """The same figures on two twin loans: the app's repayment and a confirmed offline one."""
        settings.MEDIA_ROOT = str(tmp_path)
        by_app, by_finance = instalment_loan(), instalment_loan()
        mark_overdue(date(2025, 2, 5))
        repayments.repay(by_app.user, str(period(by_app, 1).pk), "all", today=date(2025, 2, 5))
        # all on 02-05: period 1 1000 + 30 + 5 + 6.00 penalty; period 2 (current) 1000 + 30 × 4/28 = 4.29
        # + its fee 5.00; period 3 1000 → 1041.00 + 1009.29 + 1000 = 3050.29
        entry = record(by_finance, finance, kind="all", period=None, amount=D("3050.29"), received_on=date(2025, 2, 5))
        offline.confirm_offline_repayment(entry, by=second_finance, today=date(2025, 2, 5))

        def lines(loan):
            return sorted(JournalLine.objects.filter(entry__kind=EntryKind.REPAYMENT, loan=loan).values_list("account", "amount"))

        assert lines(by_finance) == lines(by_app) and lines(by_app)
        assert LoanApplication.objects.get(pk=by_finance.pk).status == ApplicationStatus.PAID_OFF
        change = StatusChange.objects.get(application=by_finance, to_status=5)
        assert (change.actor, change.changed_by) == ("staff", second_finance)
        assert_reconciles(date(2025, 2, 5))

    def test_it_refuses_what_the_app_refuses(self, finance, settings, tmp_path):
        settings.MEDIA_ROOT = str(tmp_path)
        loan = instalment_loan()
        with pytest.raises(ValidationError, match="请先还第1期"):
            record(loan, finance, period=period(loan, 2), amount=D("1035.00"))
        with pytest.raises(ValidationError, match="应还金额 1038.00 元不符"):
            record(loan, finance, amount=D("1000.00"))
        with pytest.raises(ValidationError, match="到账日期不能晚于今天"):
            record(loan, finance, amount=D("1038.00"), received_on=date(2025, 2, 6))

    def test_a_loan_paid_in_the_app_meanwhile_is_refused_at_confirmation(self, finance, second_finance, settings, tmp_path):
        settings.MEDIA_ROOT = str(tmp_path)
        loan = instalment_loan()
        entry = record(loan, finance, amount=D("1038.00"))
        repayments.repay(loan.user, str(period(loan, 1).pk), "current", today=date(2025, 2, 5))
        with pytest.raises(ValidationError, match="该期已还清"):
            offline.confirm_offline_repayment(entry, by=second_finance, today=date(2025, 2, 5))
        assert Repayment.objects.count() == 1

    def test_without_four_eyes_it_posts_at_once(self, finance, settings, tmp_path):
        settings.MEDIA_ROOT, settings.OFFLINE_REPAYMENT_FOUR_EYES = str(tmp_path), False
        loan = instalment_loan()
        entry = record(loan, finance, amount=D("1038.00"))
        assert (entry.status, entry.decided_by, entry.repayment.amount) == (Decision.APPROVED, finance, D("1038.00"))

    def test_a_rejected_record_posts_nothing(self, finance, second_finance, settings, tmp_path):
        settings.MEDIA_ROOT = str(tmp_path)
        entry = record(instalment_loan(), finance, amount=D("1038.00"))
        offline.reject_offline_repayment(entry, by=second_finance, reason="银行未到账")
        with pytest.raises(ValidationError, match="已驳回"):
            offline.confirm_offline_repayment(entry, by=second_finance, today=date(2025, 2, 5))
        assert not Repayment.objects.exists()


class TestProof:
    @pytest.mark.parametrize("name, content", [
        ("scan.pdf", b"MZ\x90\x00 not a pdf"),  # the name says PDF, the bytes do not
        ("scan.exe", PDF),  # the bytes are a PDF, the name is not one we accept
        ("photo.png", b"\xff\xd8\xff\xe0 a jpeg"),  # a JPEG called .png
        ("empty.pdf", b""),
    ])
    def test_what_is_not_an_image_or_a_pdf_is_refused(self, finance, settings, tmp_path, name, content):
        settings.MEDIA_ROOT = str(tmp_path)
        loan = instalment_loan()
        with pytest.raises(ValidationError, match="凭证"):
            offline.record_offline_repayment(
                loan, kind="current", period=period(loan, 1), amount=D("1038.00"), received_on=date(2025, 2, 3),
                channel="counter", reference="R1", proof=proof(name, content), by=finance, today=date(2025, 2, 5),
            )

    def test_a_proof_above_the_limit_is_refused(self, finance, settings, tmp_path):
        settings.MEDIA_ROOT, settings.OFFLINE_PROOF_MAX_BYTES = str(tmp_path), 1024
        loan = instalment_loan()
        with pytest.raises(ValidationError, match="不能超过"):
            offline.record_offline_repayment(
                loan, kind="current", period=period(loan, 1), amount=D("1038.00"), received_on=date(2025, 2, 3),
                channel="counter", reference="R1", proof=proof(content=PDF + b"0" * 2000), by=finance, today=date(2025, 2, 5),
            )


class TestWaiver:
    def test_a_penalty_waiver_approved_by_risk_lowers_what_is_due_and_reconciles(self, finance, risk_manager):
        loan = instalment_loan()
        mark_overdue(date(2025, 2, 10))
        # 02-11: period 1 ten days late, 15.00 penalty; 10.00 of it waived
        waiver = waivers.propose_waiver(loan, component="penalty", amount=D("10.00"), reason="疫情困难", by=finance, today=date(2025, 2, 11))
        with pytest.raises(ValidationError, match="经办人不能复核自己"):
            waivers.approve_waiver(waiver, by=finance, today=date(2025, 2, 11))
        waiver = waivers.approve_waiver(waiver, by=risk_manager, today=date(2025, 2, 11))
        first = period(loan, 1)
        assert (waiver.status, waiver.effective_date, first.waived_penalty, first.penalty) == (
            Decision.APPROVED, date(2025, 2, 11), D("10.00"), D("5.00")
        )
        entry = JournalEntry.objects.get(kind=EntryKind.WAIVER)
        assert sorted(entry.lines.values_list("account", "amount")) == [("1134", -1000), ("6031", 1000)]
        assert balances(loan, date(2025, 2, 11))["1134"] == 500
        assert_reconciles(date(2025, 2, 10), date(2025, 2, 11))
        # What the app shows: 1000 + 30 + 5 + 5.00 today, 16.50 − 10 = 6.50 tomorrow
        assert period_figures(first, date(2025, 2, 11)).total == D("1040.00")
        assert period_figures(first, date(2025, 2, 12)).penalty == D("6.50")
        assert user_center(loan.user, date(2025, 2, 11)).total_need_pay_amount == D("1040.00") + 2 * D("1035.00")
        mark_overdue(date(2025, 2, 12))
        assert period(loan, 1).penalty == D("6.50")
        assert_reconciles(date(2025, 2, 12))
        repayment = repayments.repay(loan.user, str(first.pk), "current", today=date(2025, 2, 12))
        assert (repayment.amount, repayment.penalty) == (D("1041.50"), D("6.50"))
        assert balances(loan, date(2025, 2, 12))["6031"] == -650  # the penalty paid: 16.50 less the waiver
        assert_reconciles(date(2025, 2, 11), date(2025, 2, 12))

    def test_interest_and_fee_waived_and_the_loan_paid_off(self, finance, risk_manager):
        """§14 after a waiver: a loan paid off carries nothing, its income is what it paid."""
        loan = instalment_loan()
        mark_overdue(date(2025, 2, 1))
        for component, amount in (("interest", D("30.00")), ("fee", D("2.00"))):
            waiver = waivers.propose_waiver(loan, component=component, amount=amount, reason="客诉补偿", by=finance, today=date(2025, 2, 1))
            waivers.approve_waiver(waiver, by=risk_manager, today=date(2025, 2, 1))
        repayment = repayments.repay(loan.user, str(period(loan, 1).pk), "all", today=date(2025, 2, 1))
        # period 1: 1000 + 0 interest + 3.00 fee; period 2 (current, its first day counts): 1000 + 30 / 28
        # = 1.07 + 5.00 fee; period 3: 1000 → 3009.07
        assert (repayment.amount, repayment.interest, repayment.fee) == (D("3009.07"), D("1.07"), D("8.00"))
        books = balances(loan, date(2025, 2, 1))
        assert not any(books.get(account) for account in ("1303", "1132", "1133", "1134"))
        assert books == {"1002": -297000 + 300907, "6011": -107, "6021": -3000 - 800}  # service fee + what it paid
        assert_reconciles(date(2025, 1, 31), date(2025, 2, 1))

    def test_limits(self, finance, settings):
        loan = instalment_loan()
        mark_overdue(date(2025, 2, 11))
        with pytest.raises(ValidationError, match="可减免的罚息为 15.00 元"):
            waivers.propose_waiver(loan, component="penalty", amount=D("15.01"), reason="x", by=finance, today=date(2025, 2, 11))
        with pytest.raises(ValidationError, match="可减免的利息为 30.00 元"):  # period 2 is not due: its interest is not waivable
            waivers.propose_waiver(loan, component="interest", amount=D("31.00"), reason="x", by=finance, today=date(2025, 2, 11))
        settings.WAIVER_MAX_AMOUNT = D("10.00")
        with pytest.raises(ValidationError, match="单笔减免不能超过 10.00 元"):
            waivers.propose_waiver(loan, component="penalty", amount=D("12.00"), reason="x", by=finance, today=date(2025, 2, 11))

    def test_a_rejected_waiver_posts_nothing(self, finance, risk_manager):
        loan = instalment_loan()
        waiver = waivers.propose_waiver(loan, component="penalty", amount=D("1.50"), reason="x", by=finance, today=date(2025, 2, 2))
        waivers.reject_waiver(waiver, by=risk_manager, reason="不符合政策")
        with pytest.raises(ValidationError):
            waivers.approve_waiver(waiver, by=risk_manager, today=date(2025, 2, 2))
        assert not JournalEntry.objects.filter(kind=EntryKind.WAIVER).exists() and not WaiverLine.objects.exists()


class TestReversal:
    def test_a_pay_off_reversed_restores_the_loan_and_reconciles(self, finance, second_finance):
        loan = short_loan()
        mark_overdue(date(2025, 3, 18))
        # paid 03-20, five days late: 1000 + 14.00 + 7.50
        repayment = repayments.repay(loan.user, str(period(loan, 1).pk), "current", today=date(2025, 3, 20))
        assert repayment.amount == D("1021.50") and LoanApplication.objects.get(pk=loan.pk).status == 5
        reversal = reversals.propose_reversal(repayment, reason="银行退票，款项未到账", by=finance)
        with pytest.raises(ValidationError, match="经办人不能复核自己"):
            reversals.approve_reversal(reversal, by=finance, today=date(2025, 3, 25))
        reversals.approve_reversal(reversal, by=second_finance, today=date(2025, 3, 25))

        loan.refresh_from_db()
        repayment.refresh_from_db()
        only = period(loan, 1)
        assert (loan.status, loan.paid_off_at, repayment.reversed_on) == (4, None, date(2025, 3, 25))
        # unpaid again, penalty from the due date: ten days → 15.00
        assert (only.settlement, only.repayment_id, only.paid_penalty, only.penalty, only.is_overdue) == (0, None, D("0.00"), D("15.00"), True)
        change = StatusChange.objects.filter(application=loan).last()
        assert (change.from_status, change.to_status, change.changed_by) == (5, 4, second_finance)
        reversing = JournalEntry.objects.get(kind=EntryKind.REVERSAL)
        original = JournalEntry.objects.get(event_key=f"repayment:{repayment.pk}")
        assert reversing.reverses == original
        assert sorted(reversing.lines.values_list("account", "amount")) == sorted(
            (account, -amount) for account, amount in original.lines.values_list("account", "amount")
        )
        # as if the money never came: only the disbursement, the recognition and 15.00 penalty
        assert balances(loan, date(2025, 3, 25)) == {
            "1002": -90000, "1303": 100000, "1132": 1400, "1134": 1500, "6011": -1400, "6021": -10000, "6031": -1500,
        }
        assert_reconciles(date(2025, 3, 18), date(2025, 3, 20), date(2025, 3, 22), date(2025, 3, 25))
        message = CustomerMessage.objects.get(user=loan.user, title="还款冲正通知")
        assert "1021.50元已冲正（原因：银行退票，款项未到账），第1期恢复为未还" in message.content
        assert str(Repayment.objects.get(pk=repayment.pk)).endswith("已冲正）")  # kept, marked

        # paid again: 1000 + 14 + 15.00, and the loan is off the books once more
        again = repayments.repay(loan.user, str(only.pk), "current", today=date(2025, 3, 25))
        assert again.amount == D("1029.00")
        assert not any(balances(loan, date(2025, 3, 25)).get(a) for a in ("1303", "1132", "1133", "1134"))
        assert_reconciles(date(2025, 3, 20), date(2025, 3, 25))

    def test_a_period_paid_before_its_due_date_is_unpaid_again_and_reconciles(self, finance, second_finance):
        loan = instalment_loan()
        repayment = repayments.repay(loan.user, str(period(loan, 1).pk), "current", today=date(2025, 1, 20))
        assert period(loan, 1).settlement == 1
        reversal = reversals.propose_reversal(repayment, reason="重复扣款", by=finance)
        reversals.approve_reversal(reversal, by=second_finance, today=date(2025, 1, 21))
        assert [(p.settlement, p.penalty, p.recognised_on) for p in loan.periods.order_by("number")] == [(0, D("0.00"), None)] * 3
        assert balances(loan, date(2025, 1, 21)) == {"1002": -297000, "1303": 300000, "6021": -3000}
        assert reversal.__class__.objects.get().period_numbers == [1]
        assert_reconciles(date(2025, 1, 20), date(2025, 1, 21))

    def test_only_the_latest_live_repayment_and_only_once(self, finance, second_finance):
        loan = instalment_loan()
        first = repayments.repay(loan.user, str(period(loan, 1).pk), "current", today=date(2025, 2, 1))
        second = repayments.repay(loan.user, str(period(loan, 2).pk), "current", today=date(2025, 3, 1))
        with pytest.raises(ValidationError, match="最近一笔"):
            reversals.propose_reversal(first, reason="x", by=finance)
        reversals.propose_reversal(second, reason="x", by=finance)
        with pytest.raises(ValidationError, match="已有冲正申请"):
            reversals.propose_reversal(second, reason="y", by=second_finance)

    def test_not_while_the_customer_has_a_new_loan(self, finance):
        loan = short_loan()
        repayment = repayments.repay(loan.user, str(period(loan, 1).pk), "current", today=date(2025, 3, 15))
        from tests.factories import LoanApplicationFactory

        LoanApplicationFactory(user=loan.user, status=0)
        with pytest.raises(ValidationError, match="未结清的新借款"):
            reversals.propose_reversal(repayment, reason="x", by=finance)


class TestReversalOfAWrittenOffLoan:
    def test_only_a_recovery_is_reversed(self, finance, second_finance):
        from loans.writeoff import write_off

        loan = instalment_loan()
        before = repayments.repay(loan.user, str(period(loan, 1).pk), "current", today=date(2025, 2, 1))
        mark_overdue(date(2025, 8, 28))
        write_off(loan, finance, "失联", today=date(2025, 8, 28))  # period 2 due 03-01: 180 days past due
        with pytest.raises(ValidationError, match="核销前的还款不能冲正"):
            reversals.propose_reversal(before, reason="x", by=finance)
        recovery = repayments.repay(loan.user, str(period(loan, 2).pk), "all", today=date(2025, 9, 1))
        assert recovery.is_recovery and LoanApplication.objects.get(pk=loan.pk).status == 5
        reversal = reversals.propose_reversal(recovery, reason="银行退票", by=finance)
        reversals.approve_reversal(reversal, by=second_finance, today=date(2025, 9, 2))
        assert LoanApplication.objects.get(pk=loan.pk).status == 4
        assert balances(loan, date(2025, 9, 2)).get("6301", 0) == 0
        assert [p.settlement for p in loan.periods.order_by("number")] == [1, 0, 0]
        assert_reconciles(date(2025, 9, 1), date(2025, 9, 2))

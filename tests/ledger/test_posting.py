"""The posting functions and the balances they keep (CONTRACT §14), with figures worked by hand."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from ledger import rules, services
from ledger.accounts import ACCOUNT_CODES, Account, EntryKind
from ledger.models import JournalEntry, JournalLine
from ledger.rules import Parts, UnbalancedEntry
from ledger.selectors import (
    account_totals, kept_balances_differing_from_lines, loan_balances, loan_statement, trial_balance,
)
from ledger.services import PostedBy
from loans import repayments
from loans.overdue import mark_overdue
from loans.repayments import repay
from tests.ledger.conftest import lines_of
from tests.factories import LoanApplicationFactory
from tests.loans.helpers import disbursed_loan

pytestmark = pytest.mark.django_db

JOB = PostedBy.system("test")


def balances(loan, day) -> dict[str, int]:
    return {account: amount for account, amount in loan_balances(loan.pk, day).items() if amount}


class TestRules:
    def test_cents_are_exact(self):
        assert rules.cents(Decimal("12.34")) == 1234
        assert rules.money_text(-495000) == "-4950.00"
        with pytest.raises(ValueError):
            rules.cents(Decimal("0.005"))

    def test_disbursement_keeps_the_service_fee(self):
        """5000 lent with a 50.00 fee: 4950.00 leaves the bank (the seed's 5000 → 4500 shape)."""
        assert rules.disbursement(500000, 5000, 495000) == {"1303": 500000, "1002": -495000, "6021": -5000}

    def test_a_rule_that_does_not_balance_is_refused(self):
        with pytest.raises(UnbalancedEntry):
            rules.disbursement(500000, 5000, 490000)

    def test_repayment_settles_what_was_carried_and_takes_the_rest_to_income(self):
        """Carried 7.00 interest and 7.50 penalty; paid 500 + 7.00 + 8.25 (one more day of penalty)."""
        lines = rules.repayment(Parts(50000, 700, 0, 825), Parts(0, 700, 0, 750))
        assert lines == {"1002": 51525, "1303": -50000, "1132": -700, "1134": -750, "6031": -75}

    def test_a_pay_off_that_waives_recognised_interest_takes_it_back_out_of_income(self):
        lines = rules.repayment(Parts(100000, 300, 0, 0), Parts(0, 1000, 0, 0))
        assert lines == {"1002": 100300, "1303": -100000, "1132": -1000, "6011": 700}

    def test_write_off_moves_the_receivables(self):
        lines = rules.write_off({"1303": 50000, "1132": 700, "1134": 1350, "1002": -50000})
        assert lines == {"1303": -50000, "1132": -700, "1134": -1350, "6701": 52050}


class TestTheSeedLoan:
    """500 for 14 days at 36 %, penalty 54 %, disbursed 2025-03-01, due 03-15 (interest 7.00)."""

    def test_from_disbursement_to_pay_off(self, quiet):
        loan = disbursed_loan(date(2025, 3, 1))
        assert balances(loan, date(2025, 3, 1)) == {"1002": -50000, "1303": 50000}
        mark_overdue(date(2025, 3, 14))
        assert balances(loan, date(2025, 3, 14)) == {"1002": -50000, "1303": 50000}
        mark_overdue(date(2025, 3, 15))  # due today: interest recognised, not overdue yet
        assert balances(loan, date(2025, 3, 15)) == {"1002": -50000, "1303": 50000, "1132": 700, "6011": -700}
        mark_overdue(date(2025, 3, 25))  # 10 days late: 500 × 0.54 × 10 / 360 = 7.50
        assert balances(loan, date(2025, 3, 25))["1134"] == 750
        mark_overdue(date(2025, 3, 26))  # 11 days: 8.25, the difference 0.75 posted
        penalty = JournalEntry.objects.filter(loan=loan, kind=EntryKind.PENALTY).order_by("effective_date")
        assert [e.lines.get(account="1134").amount for e in penalty] == [750, 75]
        repay(loan.user, str(loan.periods.get().pk), "all", today=date(2025, 3, 26))  # 500 + 7 + 8.25
        assert balances(loan, date(2025, 3, 26)) == {"1002": 1525, "6011": -700, "6031": -825}
        # the past is unchanged
        assert balances(loan, date(2025, 3, 25)) == {"1002": -50000, "1303": 50000, "1132": 700, "6011": -700, "1134": 750, "6031": -750}

    def test_the_ledger_command_prints_the_contract_document(self, quiet):
        loan = disbursed_loan(date(2025, 3, 1), code="LN2025030100")
        LoanApplicationFactory()  # not disbursed: not on the books
        mark_overdue(date(2025, 3, 15))
        out = StringIO()
        call_command("ledger", "--json", "--date", "2025-03-15", stdout=out)
        report = json.loads(out.getvalue())
        assert list(report["accounts"]) == list(ACCOUNT_CODES)
        assert report["accounts"]["1002"] == "-500.00" and report["accounts"]["6701"] == "0.00"
        assert report["loans"] == {
            "LN2025030100": {
                "1002": "-500.00", "1132": "7.00", "1133": "0.00", "1134": "0.00", "1303": "500.00",
                "6011": "-7.00", "6021": "0.00", "6031": "0.00", "6301": "0.00", "6701": "0.00",
            }
        }
        assert report["unbalanced_entries"] == 0
        out = StringIO()
        call_command("ledger", "--json", "--loan", loan.code, "--date", "2025-03-14", stdout=out)
        assert json.loads(out.getvalue())["loans"][loan.code]["1132"] == "0.00"
        with pytest.raises(CommandError):
            call_command("ledger", "--json", "--loan", "NOSUCHLOAN", stdout=StringIO())


class TestPosting:
    def test_an_event_posts_once(self):
        loan = LoanApplicationFactory(status=4)
        services.post_recognition(loan.pk, "p1", interest=Decimal("7.00"), fee=0, on=date(2025, 3, 15), actor=JOB)
        with pytest.raises(IntegrityError), transaction.atomic():
            services.post_recognition(loan.pk, "p1", interest=Decimal("7.00"), fee=0, on=date(2025, 3, 15), actor=JOB)
        assert lines_of(loan)["1132"] == 700

    def test_nothing_to_post_posts_nothing(self):
        loan = LoanApplicationFactory(status=4)
        assert services.post_recognition(loan.pk, "p1", interest=0, fee=0, on=date(2025, 3, 15), actor=JOB) is None
        assert not JournalEntry.objects.exists()

    def test_a_back_dated_posting_moves_every_later_balance(self):
        loan = LoanApplicationFactory(status=4)
        services.post_disbursement(loan.pk, principal=500, service_fee=0, paid_out=500, on=date(2025, 3, 1), actor=JOB)
        services.post_recognition(loan.pk, "p2", interest=Decimal("3.00"), fee=Decimal("1.00"), on=date(2025, 3, 20), actor=JOB)
        services.post_recognition(loan.pk, "p1", interest=Decimal("7.00"), fee=0, on=date(2025, 3, 10), actor=JOB)
        assert balances(loan, date(2025, 3, 9)) == {"1002": -50000, "1303": 50000}
        assert balances(loan, date(2025, 3, 15))["1132"] == 700
        assert balances(loan, date(2025, 3, 20)) == {"1002": -50000, "1303": 50000, "1132": 1000, "6011": -1000, "1133": 100, "6021": -100}
        for day in (date(2025, 3, d) for d in range(1, 25)):
            assert kept_balances_differing_from_lines(day) == []

    def test_a_reversal_mirrors_the_entry_once(self):
        loan = LoanApplicationFactory(status=4)
        entry = services.post_disbursement(loan.pk, principal=500, service_fee=5, paid_out=495, on=date(2025, 3, 1), actor=JOB)
        reversal = services.reverse(entry, on=date(2025, 3, 2), actor=JOB, reason="放款失败")
        assert (reversal.kind, reversal.reverses, reversal.memo) == (EntryKind.REVERSAL, entry, "放款失败")
        assert dict(reversal.lines.values_list("account", "amount")) == {"1303": -50000, "1002": 49500, "6021": 500}
        assert balances(loan, date(2025, 3, 1)) == {"1303": 50000, "1002": -49500, "6021": -500}
        assert balances(loan, date(2025, 3, 2)) == {}
        with pytest.raises(IntegrityError), transaction.atomic():
            services.reverse(entry, on=date(2025, 3, 3), actor=JOB, reason="again")

    def test_trial_balance_for_a_date_range(self, quiet):
        disbursed_loan(date(2025, 3, 1))
        loan = disbursed_loan(date(2025, 3, 5), apply_amount=Decimal("1000.00"), service_fee=Decimal("10.00"))
        mark_overdue(date(2025, 3, 19))
        rows = {row.account: row for row in trial_balance(date(2025, 3, 3), date(2025, 3, 31))}
        bank, fees, interest = rows["1002"], rows["6021"], rows["6011"]
        assert (bank.opening, bank.debits, bank.credits, bank.closing) == (-50000, 0, 99000, -149000)
        assert (fees.opening, fees.credits, fees.closing) == (0, 1000, -1000)
        assert (interest.debits, interest.credits, interest.closing) == (0, 700 + 1400, -2100)
        assert sum(r.debits for r in rows.values()) == sum(r.credits for r in rows.values())
        for row in rows.values():
            assert row.opening + row.debits - row.credits == row.closing
        assert account_totals(date(2025, 3, 31))["1303"] == 150000
        assert lines_of(loan)["1303"] == 100000

    def test_a_loan_statement_runs_each_account(self, quiet):
        loan = disbursed_loan(date(2025, 3, 1))
        mark_overdue(date(2025, 3, 16))
        repay(loan.user, str(loan.periods.get().pk), "all", today=date(2025, 3, 16))
        statement = [(line.account, line.amount, line.running) for line in loan_statement(loan.pk)]
        assert statement == [
            ("1002", -50000, -50000), ("1303", 50000, 50000),  # disbursed
            ("1132", 700, 700), ("6011", -700, -700),  # recognised on 03-15
            ("1134", 75, 75), ("6031", -75, -75),  # one day late
            ("1002", 50775, 775), ("1132", -700, 0), ("1134", -75, 0), ("1303", -50000, 0),
        ]


def test_the_posting_adds_four_statements_to_a_repayment(quiet, monkeypatch):
    """Issue 12: at most 4 SQL statements per repayment for the books (entry, lines, the balance
    rows it moves, one upsert), whatever the loan's history."""
    loans = [disbursed_loan(date(2025, 3, 1), instalments=True) for _ in range(2)]
    mark_overdue(date(2025, 4, 20))  # period 1 late: recognised and penalised

    def statements(loan):
        with CaptureQueriesContext(connection) as queries:
            repay(loan.user, str(loan.periods.get(number=1).pk), "current", today=date(2025, 4, 20))
        return [q["sql"] for q in queries.captured_queries]

    with_books = statements(loans[0])
    monkeypatch.setattr(repayments, "_post_to_books", lambda *args: None)
    without_books = statements(loans[1])
    assert len([sql for sql in with_books if "ledger_" in sql]) == 4
    assert len(with_books) - len(without_books) == 4


def raw_sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgres
def test_postgres_refuses_to_change_posted_lines_and_entries():
    """CONTRACT §14: entries are never updated or deleted (refused by the database)."""
    loan = LoanApplicationFactory(status=4)
    entry = services.post_disbursement(loan.pk, principal=500, service_fee=0, paid_out=500, on=date(2025, 3, 1), actor=JOB)
    attempts = [
        lambda: JournalLine.objects.filter(entry=entry).update(amount=1),
        lambda: JournalLine.objects.filter(entry=entry).delete(),
        lambda: JournalEntry.objects.filter(pk=entry.pk).update(memo="changed"),
        lambda: raw_sql("DELETE FROM ledger_journalentry WHERE id = %s", [entry.pk]),
    ]
    for attempt in attempts:
        with pytest.raises(Exception, match="never changed"), transaction.atomic():
            attempt()
    assert sorted(JournalLine.objects.filter(entry=entry).values_list("amount", flat=True)) == [-50000, 50000]

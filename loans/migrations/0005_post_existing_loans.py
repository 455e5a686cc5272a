"""Post the loans disbursed before the books existed (CONTRACT §14), so an upgraded database
reconciles.

Each loan's history is replayed with the books' own rules (``ledger.rules``): the disbursement
on its day; each period's interest and fee recognised on its due date, unless a repayment paid
it earlier (then that repayment recognised it); each repayment on its business date, its
penalty all income (no penalty was booked before); and the penalty the unpaid periods carry
now, as of yesterday and today (so the nightly reconciliation of yesterday and a reconciliation
today both find the books whole; earlier days show those penalties only from the upgrade on).
Periods get ``recognised_on`` and today's penalty, as the daily job would set them. The daily
balances are computed from the lines in one go. A loan already on the books is skipped, so the
migration can run on a database that has some entries.
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

ACTOR = {"actor_kind": "system", "actor_job": "migration"}


def post_existing_loans(apps, schema_editor):
    from ledger import rules
    from loans.amortization import overdue_penalty

    Loan = apps.get_model("loans", "LoanApplication")
    Entry = apps.get_model("ledger", "JournalEntry")
    Line = apps.get_model("ledger", "JournalLine")
    DailyBalance = apps.get_model("ledger", "DailyBalance")
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    on_books = set(Entry.objects.values_list("loan_id", flat=True).distinct())
    loans = Loan.objects.filter(status__in=(4, 5), disbursed_at__isnull=False).exclude(pk__in=on_books)
    movements = []
    for loan in loans.order_by("disbursed_at").iterator():
        periods = list(loan.periods.order_by("number"))
        repayments = {r.pk: r for r in loan.repayments.order_by("posted_at")}
        events = [("disbursement", f"disbursement:{loan.pk}", timezone.localdate(loan.disbursed_at), rules.disbursement(
            rules.cents(loan.apply_amount), rules.cents(loan.service_fee), rules.cents(loan.reply_amount)))]
        recognised = set()
        for period in periods:
            paid_by = repayments.get(period.repayment_id)
            paid_before_due = paid_by is not None and paid_by.effective_date < period.due_date
            if period.due_date <= today and not paid_before_due:
                recognised.add(period.pk)
                period.recognised_on = period.due_date
                events.append(("recognition", f"recognition:{period.pk}", period.due_date,
                               rules.recognition(rules.cents(period.interest), rules.cents(period.fee))))
        for repayment in repayments.values():
            settled = [p for p in periods if p.repayment_id == repayment.pk and p.pk in recognised]
            paid = rules.Parts.of(repayment.principal, repayment.interest, repayment.fee, repayment.penalty)
            carried = rules.Parts.of(interest=sum(p.interest for p in settled), fee=sum(p.fee for p in settled))
            events.append(("repayment", f"repayment:{repayment.pk}", repayment.effective_date, rules.repayment(paid, carried)))
        unpaid = [p for p in periods if p.repayment_id is None]
        penalty = {day: sum(overdue_penalty(p.principal, loan.penalty_rate, p.due_date, day) for p in unpaid) for day in (yesterday, today)}
        before = 0
        for day in (yesterday, today):
            after = rules.cents(penalty[day])
            if after != before:
                events.append(("penalty", f"penalty:{loan.pk}:{day.isoformat()}:{before}-{after}", day, rules.penalty_change(before, after)))
            before = after
        for period in unpaid:
            period.penalty = overdue_penalty(period.principal, loan.penalty_rate, period.due_date, today)
            period.is_overdue = period.is_overdue or period.due_date < today
        loan.periods.model.objects.bulk_update(periods, ["recognised_on", "penalty", "is_overdue"])
        for kind, key, day, lines in events:
            if not lines:
                continue
            entry = Entry.objects.create(event_key=key, kind=kind, loan_id=loan.pk, effective_date=day, **ACTOR)
            Line.objects.bulk_create(Line(entry=entry, account=a, loan_id=loan.pk, amount=v) for a, v in sorted(lines.items()))
            movements += [(loan.pk, account, day, amount) for account, amount in lines.items()]
    DailyBalance.objects.bulk_create(
        DailyBalance(loan_id=loan_id, account=account, date=day, debits=t.debits, credits=t.credits, balance=t.balance)
        for (loan_id, account, day), t in rules.daily_balances(movements).items()
    )


class Migration(migrations.Migration):
    dependencies = [("loans", "0004_books"), ("ledger", "0002_append_only")]

    operations = [migrations.RunPython(post_existing_loans, migrations.RunPython.noop)]

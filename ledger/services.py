"""Posting to the books: the only writers of journal entries, lines and daily balances.

Callers post inside the transaction of the event they record, holding the loan's row lock
(``loans.locks``): postings of one loan are then serialised, which the daily balances rely
on. Each entry has a unique event key: posting a key twice raises ``IntegrityError`` and
rolls the event back, so a caller that may see the same event again (a retried request, a
rerun job) checks its own state under the lock first -- loans does.

A posting costs four statements: the entry, its lines, the loan's balance rows it moves, and
one upsert of those rows.

The ledger knows loans only by id: it imports nothing from ``loans`` (a test enforces it);
loans calls these functions with the figures.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q, Subquery

from . import rules
from .accounts import ActorKind, EntryKind
from .models import DailyBalance, JournalEntry, JournalLine, Reconciliation
from .rules import Lines, Parts
from .selectors import loan_balances


@dataclass(frozen=True)
class PostedBy:
    """Who caused an event (the entry's actor): a staff user, the customer, or a job (by name)."""

    kind: str
    user: object = None
    job: str = ""

    @classmethod
    def staff(cls, user) -> "PostedBy":
        return cls(ActorKind.STAFF, user=user)

    @classmethod
    def customer(cls, user) -> "PostedBy":
        return cls(ActorKind.CUSTOMER, user=user)

    @classmethod
    def system(cls, job: str) -> "PostedBy":
        return cls(ActorKind.SYSTEM, job=job)

    @classmethod
    def staff_or_system(cls, user, job: str) -> "PostedBy":
        return cls.staff(user) if user is not None else cls.system(job)


def post(
    *, kind: str, event_key: str, loan_id, on: date, actor: PostedBy, lines: Mapping[str, int], memo: str = "",
    reverses: JournalEntry | None = None,
) -> JournalEntry | None:
    """Post one balanced entry; ``None`` when every line is zero (nothing moved)."""
    lines = rules.combine(*lines.items())
    if not lines:
        return None
    entry = JournalEntry.objects.create(
        event_key=event_key, kind=kind, loan_id=loan_id, effective_date=on, actor_kind=actor.kind,
        actor_user=actor.user, actor_job=actor.job, memo=memo[:200], reverses=reverses,
    )
    JournalLine.objects.bulk_create(
        JournalLine(entry=entry, account=account, loan_id=loan_id, amount=amount) for account, amount in sorted(lines.items())
    )
    _move_balances(loan_id, on, lines)
    return entry


def _move_balances(loan_id, on: date, lines: Lines) -> None:
    """Add the lines to the loan's balance row of ``on`` (opened from the last earlier one) and
    to every later row (a back-dated posting), in one read and one upsert."""
    accounts = list(lines)
    last_before = DailyBalance.objects.filter(
        loan_id=loan_id, account=OuterRef("account"), date__lt=on
    ).order_by("-date").values("date")[:1]
    rows = DailyBalance.objects.filter(loan_id=loan_id, account__in=accounts).filter(
        Q(date__gte=on) | Q(date=Subquery(last_before))
    ).values_list("account", "date", "debits", "credits", "balance")
    opening: dict[str, int] = {}
    changed: dict[tuple[str, date], DailyBalance] = {}
    for account, day, debits, credits, balance in rows:
        if day < on:
            opening[account] = balance
        else:
            changed[account, day] = DailyBalance(
                loan_id=loan_id, account=account, date=day, debits=debits, credits=credits, balance=balance
            )
    for account, amount in lines.items():
        today = changed.setdefault(
            (account, on), DailyBalance(loan_id=loan_id, account=account, date=on, balance=opening.get(account, 0))
        )
        if amount > 0:
            today.debits += amount
        else:
            today.credits -= amount
        for (row_account, day), row in changed.items():
            if row_account == account and day >= on:
                row.balance += amount
    DailyBalance.objects.bulk_create(
        changed.values(),
        update_conflicts=True,
        unique_fields=["loan", "account", "date"],
        update_fields=["debits", "credits", "balance"],
    )


# --- The events ------------------------------------------------------------------------------


def post_disbursement(loan_id, *, principal, service_fee, paid_out, on: date, actor: PostedBy) -> JournalEntry | None:
    lines = rules.disbursement(rules.cents(principal), rules.cents(service_fee), rules.cents(paid_out))
    return post(kind=EntryKind.DISBURSEMENT, event_key=f"disbursement:{loan_id}", loan_id=loan_id, on=on, actor=actor, lines=lines)


def post_recognition(loan_id, period_id, *, interest, fee, on: date, actor: PostedBy) -> JournalEntry | None:
    """A period's interest and fee fall due (once per period)."""
    lines = rules.recognition(rules.cents(interest), rules.cents(fee))
    return post(kind=EntryKind.RECOGNITION, event_key=f"recognition:{period_id}", loan_id=loan_id, on=on, actor=actor, lines=lines)


def post_penalty_change(loan_id, *, before, after, on: date, actor: PostedBy) -> JournalEntry | None:
    """The daily job recomputed the loan's total penalty receivable from ``before`` to ``after``.

    The key names the change itself (day, from, to): the same job rerun finds nothing changed
    and posts nothing; a job for another day, or back to an earlier day, posts its own change.
    """
    before_cents, after_cents = rules.cents(before), rules.cents(after)
    return post(
        kind=EntryKind.PENALTY, event_key=f"penalty:{loan_id}:{on.isoformat()}:{before_cents}-{after_cents}",
        loan_id=loan_id, on=on, actor=actor, lines=rules.penalty_change(before_cents, after_cents),
    )


def post_repayment(loan_id, repayment_id, *, paid: Parts, carried: Parts, on: date, actor: PostedBy) -> JournalEntry | None:
    """Money received on a loan carried on the books (see :func:`ledger.rules.repayment`)."""
    return post(
        kind=EntryKind.REPAYMENT, event_key=f"repayment:{repayment_id}", loan_id=loan_id, on=on, actor=actor,
        lines=rules.repayment(paid, carried),
    )


def post_recovery(loan_id, repayment_id, *, amount, on: date, actor: PostedBy) -> JournalEntry | None:
    """Money received on a written-off loan (the repayment's key: one posting either way)."""
    return post(
        kind=EntryKind.RECOVERY, event_key=f"repayment:{repayment_id}", loan_id=loan_id, on=on, actor=actor,
        lines=rules.recovery(rules.cents(amount)),
    )


def post_waiver(loan_id, waiver_id, *, component: str, amount, on: date, actor: PostedBy, reason: str) -> JournalEntry | None:
    """An approved waiver (减免) of part of a recognised interest, fee or penalty receivable."""
    return post(
        kind=EntryKind.WAIVER, event_key=f"waiver:{waiver_id}", loan_id=loan_id, on=on, actor=actor,
        lines=rules.waiver(component, rules.cents(amount)), memo=reason,
    )


def post_write_off(loan_id, *, on: date, actor: PostedBy, reason: str) -> JournalEntry | None:
    """Move what the loan carries on 1303/1132/1133/1134 as of ``on`` to 6701 (once per loan)."""
    lines = rules.write_off(loan_balances(loan_id, on))
    return post(
        kind=EntryKind.WRITE_OFF, event_key=f"write_off:{loan_id}", loan_id=loan_id, on=on, actor=actor, lines=lines, memo=reason,
    )


def reverse(entry: JournalEntry, *, on: date, actor: PostedBy, reason: str, event_key: str | None = None) -> JournalEntry:
    """A mirror entry (every line negated) with its own key; an entry is reversed at most once."""
    lines = rules.negated({line.account: line.amount for line in entry.lines.all()})
    return post(
        kind=EntryKind.REVERSAL, event_key=event_key or f"reversal:{entry.event_key}", loan_id=entry.loan_id, on=on,
        actor=actor, lines=lines, memo=reason, reverses=entry,
    )


def record_reconciliation(as_of: date, loans_checked: int, differences: list[dict]) -> Reconciliation:
    return Reconciliation.objects.create(
        as_of=as_of, loans_checked=loans_checked, difference_count=len(differences), differences=differences
    )

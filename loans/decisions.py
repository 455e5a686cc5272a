"""The risk decision at application time, the dry run of a draft rule set, and the decisions
in figures (CONTRACT §12).

The rules themselves (their kinds, the engine, their storage) are the ``risk`` app's; this
module gathers what they look at from the customer's file and loan history, and keeps the
decision on the application.

What a decision costs ``loanProductApply``, whatever the number of rules and earlier loans:

* the identity, the contacts count and the device's customers ride on the query that locks the
  applicant (:func:`lock_applicant`: scalar subqueries of a fixed SQL string, no extra round trip);
* one query for the periods of the customer's earlier loans;
* one for the device's applications of the last year (none without a device token);
* one for the enabled rules, only when the cache does not hold them (after an edit).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from cashloan.crypto import decrypt_value
from accounts.models import Contact, Device, Identity, User
from accounts.validators import age_on, id_birth_date
from risk.engine import Decision, RuleSpec, decide
from risk.facts import DEVICE_WINDOW_DAYS, Facts
from risk.kinds import Outcome
from risk.selectors import enabled_rules

from .models import SERVICED_STATUSES, ApplicationStatus, LoanApplication, RepaymentPeriod

# The most earlier applications of one device a decision reads (a device rule counts up to this).
DEVICE_APPLICATIONS_READ = 1000

STATUS_OF_OUTCOME = {
    Outcome.REJECT: ApplicationStatus.REJECTED,
    Outcome.REVIEW: ApplicationStatus.PENDING,
    Outcome.APPROVE: ApplicationStatus.APPROVED,
}


# --- the applicant's file ---------------------------------------------------------------------


def applicant_file(user_id, device_token: str, *, lock: bool = False, at: datetime | None = None) -> User:
    """The customer carrying the file the rules read (``risk_id_number``, ``risk_contacts``,
    ``risk_device_customers``: the customers who had logged in with the device by ``at``), in
    one query; ``lock``: the row locked, as the application takes it.

    A fixed SQL string (as ``accounts.backends`` reads the logged-in user): the ORM spent three
    times longer building this query than the database spent running it.
    """
    params: list = []
    if device_token:
        params.append(device_token)
        if at is not None:
            params.append(at)
    params.append(user_id)
    lock = lock and connection.features.has_select_for_update_of
    user = next(iter(User.objects.raw(_file_sql(bool(device_token), at is not None, lock), params)), None)
    if user is None:
        raise User.DoesNotExist(f"no user {user_id}")
    user.risk_id_number = decrypt_value(user.risk_id_number) if user.risk_id_number else ""
    return user


@cache
def _file_sql(device: bool, until: bool, lock: bool) -> str:
    user, identity, contact, device_table = (model._meta.db_table for model in (User, Identity, Contact, Device))
    if device:
        since = " AND d.first_login_at <= %s" if until else ""
        customers = f"(SELECT COUNT(DISTINCT d.user_id) FROM {device_table} d WHERE d.token = %s{since})"
    else:
        customers = "0"
    return (
        f"SELECT u.*, (SELECT i.id_number FROM {identity} i WHERE i.user_id = u.id) AS risk_id_number, "
        f"(SELECT COUNT(*) FROM {contact} c WHERE c.user_id = u.id) AS risk_contacts, "
        f"{customers} AS risk_device_customers FROM {user} u WHERE u.id = %s" + (" FOR UPDATE OF u" if lock else "")
    )


def lock_applicant(user_id, device_token: str) -> User:
    """The applicant's row, locked for the application, with the file the rules read."""
    return applicant_file(user_id, device_token, lock=True)


# --- the loan history -------------------------------------------------------------------------


@dataclass
class _LoanHistory:
    worst_late: int = 0
    paid_off: bool = False


def loan_history(user_id, at: datetime, today: date, *, exclude=None) -> tuple[int, tuple[int, ...]]:
    """(the most days any period of an earlier loan was or is late as of ``at`` (local date
    ``today``), and each earlier paid-off loan's most days late). One query over the periods."""
    periods = RepaymentPeriod.objects.filter(
        application__user_id=user_id, application__status__in=SERVICED_STATUSES, application__applied_at__lt=at
    )
    if exclude is not None:
        periods = periods.exclude(application_id=exclude)
    rows = periods.order_by().values_list("application_id", "application__paid_off_at", "due_date", "paid_at")
    loans: dict = defaultdict(_LoanHistory)
    for loan_id, paid_off_at, due_date, paid_at in rows:
        paid_on = timezone.localdate(paid_at) if paid_at is not None and paid_at <= at else None
        late = max(0, ((paid_on or today) - due_date).days)
        loan = loans[loan_id]
        loan.worst_late = max(loan.worst_late, late)
        loan.paid_off = paid_off_at is not None and paid_off_at <= at
    worst = max((loan.worst_late for loan in loans.values()), default=0)
    return worst, tuple(sorted(loan.worst_late for loan in loans.values() if loan.paid_off))


def device_application_days(device_token: str, at: datetime, today: date, *, exclude=None) -> tuple[int, ...]:
    """Days before ``at`` of each earlier application from the device in the last year."""
    if not device_token:
        return ()
    applications = LoanApplication.objects.filter(
        device_token=device_token, applied_at__lt=at, applied_at__gte=at - timedelta(days=DEVICE_WINDOW_DAYS)
    )
    if exclude is not None:
        applications = applications.exclude(pk=exclude)
    moments = applications.order_by("-applied_at").values_list("applied_at", flat=True)[:DEVICE_APPLICATIONS_READ]
    return tuple((today - timezone.localdate(moment)).days for moment in moments)


# --- the decision -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    """What the rules read of the application itself."""

    amount: Decimal
    phonebook_entries: int
    device_token: str
    at: datetime  # when it was made
    today: date  # its local date: ages, days late and account age count to it


def gather_facts(applicant: User, application: Application, *, exclude=None) -> Facts:
    """``applicant`` comes from :func:`lock_applicant` (or carries the same annotations)."""
    today = application.today
    id_number = applicant.risk_id_number or ""
    birth = id_birth_date(id_number) if id_number else None
    worst, paid_off = loan_history(applicant.pk, application.at, today, exclude=exclude)
    earlier = device_application_days(application.device_token, application.at, today, exclude=exclude)
    return Facts(
        amount=application.amount,
        credit_limit=applicant.total_credit,
        age=age_on(birth, today) if birth else None,
        id_region=id_number[:6],
        account_age_days=(today - timezone.localdate(applicant.date_joined)).days,
        contacts=applicant.risk_contacts,
        phonebook_entries=application.phonebook_entries,
        device_token=application.device_token,
        device_customers=applicant.risk_device_customers,
        device_application_days=(0, *earlier) if application.device_token else (),
        worst_days_past_due=worst,
        paid_off_lateness=paid_off,
    )


@dataclass(frozen=True)
class Decided:
    decision: Decision
    facts: Facts

    @property
    def status(self) -> int:
        return STATUS_OF_OUTCOME[self.decision.outcome]


def decide_application(applicant: User, application: Application, rules: Sequence[RuleSpec] | None = None) -> Decided:
    facts = gather_facts(applicant, application)
    return Decided(decide(enabled_rules() if rules is None else rules, facts), facts)


# --- the dry run --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangedDecision:
    code: str
    applied_at: datetime
    before: str  # the outcome recorded ("review" for applications from before the rules)
    after: str
    hits: tuple  # the draft rules that fired


@dataclass
class DryRun:
    rules: list[RuleSpec]
    applications: int = 0
    counts: Counter = field(default_factory=Counter)  # draft outcome → applications
    changed: list[ChangedDecision] = field(default_factory=list)
    rebuilt: int = 0  # applications from before the rules, whose facts were gathered again


def dry_run(rules: Iterable[RuleSpec], last: int = 100) -> DryRun:
    """Run a draft rule set over the last ``last`` applications, as the rules saw them.

    An application decided by the rules is replayed over the facts stored with it. One from
    before the rules gets its facts gathered again as of its application time (its loan
    history and device then; the contacts and identity of today), which costs three queries.
    Its recorded outcome is ``review``: it waited for an officer.
    """
    result = DryRun(rules=list(rules))
    recent = LoanApplication.objects.order_by("-applied_at", "-id").values_list(
        "pk", "code", "applied_at", "user_id", "risk_outcome", "risk_facts", "apply_amount", "phonebook", "device_token"
    )[:last]
    for pk, code, applied_at, user_id, outcome, stored, amount, phonebook, device_token in recent:
        if stored is not None:
            facts = Facts.from_json(stored)
        else:
            applicant = applicant_file(user_id, device_token, at=applied_at)
            made = Application(amount, len(phonebook or ()), device_token, applied_at, timezone.localdate(applied_at))
            facts = gather_facts(applicant, made, exclude=pk)
            result.rebuilt += 1
        decision = decide(result.rules, facts)
        result.applications += 1
        result.counts[decision.outcome] += 1
        before = outcome or Outcome.REVIEW
        if decision.outcome != before:
            result.changed.append(ChangedDecision(code, applied_at, before, decision.outcome, decision.hits))
    return result


# --- in figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionFigures:
    start: date
    end: date
    by_outcome: dict  # outcome ("" = before the rules) → applications
    top_rules: list  # [(rule name, kind, fired count)], most first
    total: int


def decision_figures(start: date, end: date, *, top: int = 10) -> DecisionFigures:
    """Applications made from ``start`` to ``end`` (local dates, inclusive) by outcome, and
    the rules that fired most. Two queries: the counts, and the fired rules of the
    applications that have any."""
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time()))
    in_range = LoanApplication.objects.filter(applied_at__gte=since, applied_at__lt=until)
    by_outcome = dict(in_range.order_by().values_list("risk_outcome").annotate(n=Count("pk")))
    fired: Counter = Counter()
    names: dict = {}
    for hits in in_range.exclude(risk_hits=[]).order_by().values_list("risk_hits", flat=True).iterator():
        for hit in hits:
            key = (hit.get("rule"), hit.get("kind"))
            fired[key] += 1
            names[key] = hit.get("name", "")
    top_rules = [(names[key], key[1], count) for key, count in fired.most_common(top)]
    return DecisionFigures(start, end, by_outcome, top_rules, sum(by_outcome.values()))

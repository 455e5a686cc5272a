"""The decision (CONTRACT §12): run the rules over one application's facts.

* any ``reject`` rule fired → ``reject`` (status 3);
* otherwise any ``review`` rule fired, or no ``approve`` rule fired → ``review`` (status 0,
  for a loan officer);
* otherwise → ``approve`` (status 2, approved by the system).

A rule that raises (bad parameters saved outside the admin, a kind no longer known, facts it
cannot read) counts as a fired ``review`` rule with its error recorded: an application is never
refused, nor approved, because a rule broke.

Pure: no database. ``loans.decisions`` gathers the facts and stores the decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from .facts import Facts
from .kinds import Outcome, kind_of


@dataclass(frozen=True)
class RuleSpec:
    """What the engine needs of a rule (a row of ``risk.RiskRule``, or a draft)."""

    id: int | None
    name: str
    kind: str
    params: dict
    outcome: str


@dataclass(frozen=True)
class Hit:
    """A rule that fired, with the values it saw (or the error it raised)."""

    rule: int | None
    name: str
    kind: str
    outcome: str
    seen: dict = field(default_factory=dict)
    error: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Decision:
    outcome: str
    hits: tuple[Hit, ...]

    def hits_json(self) -> list[dict]:
        return [hit.to_json() for hit in self.hits]


def decide(rules: Iterable[RuleSpec], facts: Facts) -> Decision:
    hits = tuple(hit for hit in (evaluate(rule, facts) for rule in rules) if hit is not None)
    return Decision(outcome_of(hits), hits)


def evaluate(rule: RuleSpec, facts: Facts) -> Hit | None:
    try:
        kind = kind_of(rule.kind)
        params = kind.clean_params(rule.params)
        if rule.outcome not in kind.outcomes:
            raise ValueError(f"规则类型“{kind.label}”不能得出“{Outcome.LABELS.get(rule.outcome, rule.outcome)}”")
        finding = kind.check(params, facts)
    except Exception as error:  # noqa: BLE001 -- a broken rule sends the application to a person
        return Hit(rule.id, rule.name, rule.kind, Outcome.REVIEW, error=f"{type(error).__name__}: {error}")
    if not finding.fired:
        return None
    return Hit(rule.id, rule.name, rule.kind, rule.outcome, finding.seen)


def outcome_of(hits: Iterable[Hit]) -> str:
    outcomes = {hit.outcome for hit in hits}
    if Outcome.REJECT in outcomes:
        return Outcome.REJECT
    if Outcome.REVIEW in outcomes or Outcome.APPROVE not in outcomes:
        return Outcome.REVIEW
    return Outcome.APPROVE

"""Every rule kind of CONTRACT §12 at its boundary values, its parameter checks, and the
outcome rules of the decision ("any reject → 3; otherwise any review, or no approve → 0;
otherwise → 2"). Pure: no database."""

from dataclasses import replace
from decimal import Decimal

import pytest

from risk.engine import RuleSpec, decide, evaluate
from risk.facts import Facts
from risk.kinds import REGISTRY, Outcome, ParamError, kind_of

D = Decimal

BASE = Facts(
    amount=D("500.00"), credit_limit=None, age=30, id_region="110101", account_age_days=100, contacts=2,
    phonebook_entries=50, device_token="device-1", device_customers=1, device_application_days=(0,),
    worst_days_past_due=0, paid_off_lateness=(),
)


def fires(kind: str, params: dict, **facts) -> bool:
    finding = kind_of(kind).check(kind_of(kind).clean_params(params), replace(BASE, **facts))
    return finding.fired


class TestBoundaries:
    """§12's list, each at the value where it starts and stops firing."""

    @pytest.mark.parametrize("age, fired", [(17, True), (18, False), (60, False), (61, True)])
    def test_age_outside_18_60(self, age, fired):
        assert fires("age_range", {"min_age": 18, "max_age": 60}, age=age) is fired

    def test_age_seen_is_recorded(self):
        assert kind_of("age_range").check({"min_age": 18, "max_age": 60}, replace(BASE, age=61)).seen == {"age": 61}

    def test_unknown_age_raises(self):
        with pytest.raises(ValueError):
            kind_of("age_range").check({"min_age": 18, "max_age": 60}, replace(BASE, age=None))

    @pytest.mark.parametrize("region, fired", [("650102", True), ("540102", True), ("540202", False), ("110101", False), ("166501", False)])
    def test_id_region_prefixes(self, region, fired):
        assert fires("id_region", {"prefixes": "65, 5401"}, id_region=region) is fired

    @pytest.mark.parametrize("days, fired", [(0, True), (6, True), (7, False), (30, False)])
    def test_account_younger_than_n_days(self, days, fired):
        assert fires("account_age", {"days": 7}, account_age_days=days) is fired

    @pytest.mark.parametrize("contacts, fired", [(0, True), (1, True), (2, False), (5, False)])
    def test_fewer_than_n_contacts(self, contacts, fired):
        assert fires("few_contacts", {"count": 2}, contacts=contacts) is fired

    @pytest.mark.parametrize("entries, fired", [(0, True), (19, True), (20, False)])
    def test_phone_book_smaller_than_n(self, entries, fired):
        assert fires("small_phonebook", {"entries": 20}, phonebook_entries=entries) is fired

    @pytest.mark.parametrize(
        "days_before, fired",
        [
            ((0, 1, 6), False),  # 3 in the last 7 days: not more than 3
            ((0, 1, 2, 6), True),  # 4
            ((0, 1, 2, 7), False),  # the 4th was 7 days before: outside the 7-day window
            ((0, 0, 0, 0), True),  # 4 the same day
        ],
    )
    def test_more_than_n_applications_from_one_device_in_d_days(self, days_before, fired):
        assert fires("device_applications", {"applications": 3, "days": 7}, device_application_days=days_before) is fired

    def test_one_day_window_is_today_only(self):
        assert fires("device_applications", {"applications": 1, "days": 1}, device_application_days=(0, 0)) is True
        assert fires("device_applications", {"applications": 1, "days": 1}, device_application_days=(0, 1)) is False

    def test_device_rules_do_not_fire_without_a_device(self):
        assert fires("device_applications", {"applications": 1, "days": 7}, device_token="", device_application_days=(0, 0, 0)) is False
        assert fires("device_customers", {"customers": 1}, device_token="", device_customers=5) is False

    @pytest.mark.parametrize("customers, fired", [(1, False), (3, False), (4, True)])
    def test_device_shared_by_more_than_n_customers(self, customers, fired):
        assert fires("device_customers", {"customers": 3}, device_customers=customers) is fired

    @pytest.mark.parametrize("worst, fired", [(0, False), (30, False), (31, True)])
    def test_worst_days_past_due_above_n(self, worst, fired):
        assert fires("worst_dpd", {"days": 30}, worst_days_past_due=worst) is fired

    @pytest.mark.parametrize(
        "amount, limit, fired",
        [("800.00", "1000.00", False), ("800.01", "1000.00", True), ("100.00", None, False), ("0.01", "0.00", True)],
    )
    def test_amount_above_n_percent_of_the_credit_limit(self, amount, limit, fired):
        credit = None if limit is None else D(limit)
        assert fires("amount_share_of_limit", {"percent": 80}, amount=D(amount), credit_limit=credit) is fired

    @pytest.mark.parametrize(
        "lateness, fired",
        [
            ((), False),
            ((0,), False),  # one clean loan: not 2
            ((0, 3), True),  # 3 days late is not more than 3
            ((0, 4), False),  # the second was 4 days late
            ((4, 5, 0, 1), True),  # two clean among four
        ],
    )
    def test_at_least_n_loans_paid_off_never_more_than_d_days_late(self, lateness, fired):
        assert fires("clean_history", {"loans": 2, "days": 3}, paid_off_lateness=lateness) is fired


class TestParameters:
    def test_every_kind_has_chinese_labels_and_help(self):
        for code, kind in REGISTRY.items():
            assert kind.label and kind.description and kind.params, code
            for param in kind.params:
                assert param.label and param.help_text, (code, param.name)

    @pytest.mark.parametrize(
        "kind, params, field",
        [
            ("age_range", {"min_age": 61, "max_age": 60}, "max_age"),
            ("age_range", {"min_age": "abc", "max_age": 60}, "min_age"),
            ("age_range", {"min_age": -1, "max_age": 60}, "min_age"),
            ("age_range", {"min_age": 18}, "max_age"),
            ("age_range", {"min_age": True, "max_age": 60}, "min_age"),
            ("id_region", {"prefixes": "6"}, "prefixes"),
            ("id_region", {"prefixes": "65, x1"}, "prefixes"),
            ("id_region", {"prefixes": ""}, "prefixes"),
            ("device_applications", {"applications": 3, "days": 366}, "days"),
            ("few_contacts", {"count": 0}, "count"),
            ("worst_dpd", {"days": 30, "extra": 1}, ""),
        ],
    )
    def test_bad_parameters_are_named(self, kind, params, field):
        with pytest.raises(ParamError) as caught:
            kind_of(kind).clean_params(params)
        assert field in caught.value.errors

    def test_clean_parameters_are_normalised(self):
        assert kind_of("age_range").clean_params({"min_age": "18", "max_age": 60}) == {"min_age": 18, "max_age": 60}
        assert kind_of("id_region").clean_params({"prefixes": "65，5401, 65"}) == {"prefixes": ["65", "5401"]}

    def test_only_the_clean_history_kind_approves(self):
        assert kind_of("clean_history").outcomes == {Outcome.APPROVE}
        assert all(Outcome.APPROVE not in kind.outcomes for code, kind in REGISTRY.items() if code != "clean_history")


def rule(kind, params, outcome, rule_id=1):
    return RuleSpec(rule_id, f"规则{rule_id}", kind, params, outcome)


AGE = rule("age_range", {"min_age": 18, "max_age": 60}, Outcome.REJECT, 1)
SHARED = rule("device_customers", {"customers": 3}, Outcome.REVIEW, 2)
CLEAN = rule("clean_history", {"loans": 2, "days": 3}, Outcome.APPROVE, 3)
DEFAULTS = [AGE, SHARED, CLEAN]


class TestOutcome:
    def test_nothing_fired_waits_for_an_officer(self):
        decision = decide(DEFAULTS, BASE)
        assert (decision.outcome, decision.hits) == (Outcome.REVIEW, ())

    def test_no_rules_at_all_waits_for_an_officer(self):
        assert decide([], BASE).outcome == Outcome.REVIEW

    def test_approve_rule_alone_approves(self):
        decision = decide(DEFAULTS, replace(BASE, paid_off_lateness=(0, 1)))
        assert decision.outcome == Outcome.APPROVE
        assert [hit.to_json() for hit in decision.hits] == [
            {"rule": 3, "name": "规则3", "kind": "clean_history", "outcome": "approve",
             "seen": {"clean_loans": 2, "paid_off_loans": 2}, "error": ""}
        ]

    def test_review_beats_approve(self):
        decision = decide(DEFAULTS, replace(BASE, paid_off_lateness=(0, 1), device_customers=4))
        assert decision.outcome == Outcome.REVIEW
        assert [hit.rule for hit in decision.hits] == [2, 3]

    def test_reject_beats_everything(self):
        decision = decide(DEFAULTS, replace(BASE, age=61, paid_off_lateness=(0, 1), device_customers=4))
        assert decision.outcome == Outcome.REJECT
        assert [(hit.rule, hit.seen) for hit in decision.hits][0] == (1, {"age": 61})

    @pytest.mark.parametrize(
        "broken",
        [
            rule("age_range", {"min_age": 18, "max_age": 60}, Outcome.REJECT),  # no age: the kind raises
            rule("no_such_kind", {}, Outcome.REJECT),
            rule("age_range", {"min_age": "x"}, Outcome.REJECT),
            rule("age_range", {"min_age": 18, "max_age": 60}, Outcome.APPROVE),  # an outcome the kind cannot give
        ],
    )
    def test_a_rule_that_raises_is_a_review_with_its_error(self, broken):
        hit = evaluate(broken, replace(BASE, age=None))
        assert hit.outcome == Outcome.REVIEW and hit.error
        assert decide([broken, CLEAN], replace(BASE, age=None, paid_off_lateness=(0, 0))).outcome == Outcome.REVIEW

    def test_facts_survive_json(self):
        facts = replace(BASE, credit_limit=D("1000.00"), device_application_days=(0, 3), paid_off_lateness=(1,))
        assert Facts.from_json(facts.to_json()) == facts

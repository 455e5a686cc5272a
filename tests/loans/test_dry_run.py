"""The dry run and the decisions in figures (CONTRACT §12; issue 13 items 3 and 6).

"The risk manager runs a draft rule set against the last N applications (a command and an
admin action) and sees how many would have been approved, reviewed, rejected, and which
decisions would change, before enabling it." — "The dashboard shows, for a date range,
applications by outcome and the rules that fired most."
"""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from loans.decisions import decision_figures, dry_run
from loans.models import LoanApplication
from risk.engine import RuleSpec
from risk.models import RiskRule
from tests.factories import ProductFactory, UserFactory
from tests.loans.test_decisions import apply, customer_aged, paid_off_loan

pytestmark = pytest.mark.django_db

PHONEBOOK_RULE = RuleSpec(None, "通讯录少于 3 条", "small_phonebook", {"entries": 3}, "reject")


@pytest.fixture
def applications(api):
    """Four applications through the app with the default rules: a 30-, a 45- and a 61-year-old
    (pending, pending, rejected), and a customer with two clean loans (approved)."""
    product = ProductFactory(single_days="7, 14")
    young = apply(api, customer_aged(30, "101"), product)
    older = apply(api, customer_aged(45, "102"), product, phonebookList=[{"contactName": f"人{n}", "contactPhone": f"1390000{n:04d}"} for n in range(5)])
    old = apply(api, customer_aged(61, "103"), product)
    regular = customer_aged(35, "104")
    paid_off_loan(regular, days_late=0)
    paid_off_loan(regular, days_late=1, finished_days_ago=80)
    good = apply(api, regular, product)
    assert [a.status for a in (young, older, old, good)] == [0, 0, 3, 2]
    return {"young": young, "older": older, "old": old, "good": good}


def default_specs():
    return [rule.spec() for rule in RiskRule.objects.filter(enabled=True)]


class TestDryRun:
    def test_the_rules_in_force_change_nothing(self, applications):
        result = dry_run(default_specs(), last=4)
        assert (result.applications, dict(result.counts), result.changed) == (4, {"review": 2, "reject": 1, "approve": 1}, [])

    def test_a_draft_rule_shows_what_would_change(self, applications):
        """Adding "phone book below 3 entries → reject": the two with 2 entries are refused
        (the one approved included); the one with 5 and the one already refused do not change."""
        result = dry_run([*default_specs(), PHONEBOOK_RULE], last=4)
        assert dict(result.counts) == {"reject": 3, "review": 1}
        changed = {change.code: (change.before, change.after) for change in result.changed}
        assert changed == {applications["young"].code: ("review", "reject"), applications["good"].code: ("approve", "reject")}
        (young,) = [c for c in result.changed if c.code == applications["young"].code]
        assert [(hit.name, hit.seen) for hit in young.hits] == [("通讯录少于 3 条", {"phonebook_entries": 2})]

    def test_only_the_last_n(self, applications):
        assert dry_run(default_specs(), last=2).applications == 2

    def test_without_the_approval_rule_nobody_is_approved(self, applications):
        result = dry_run([rule.spec() for rule in RiskRule.objects.exclude(kind="clean_history")], last=4)
        assert [(c.code, c.before, c.after) for c in result.changed] == [(applications["good"].code, "approve", "review")]

    def test_the_stored_facts_are_replayed_not_todays(self, applications):
        """The 61-year-old's stored age is what the rule sees, whatever the file says now."""
        applications["old"].user.identity.delete()
        assert dry_run(default_specs(), last=4).changed == []

    def test_applications_from_before_the_rules_are_rebuilt(self, applications):
        LoanApplication.objects.filter(pk=applications["old"].pk).update(risk_outcome="", risk_hits=[], risk_facts=None)
        result = dry_run(default_specs(), last=4)
        assert result.rebuilt == 1
        assert [(c.code, c.before, c.after) for c in result.changed] == [(applications["old"].code, "review", "reject")]


class TestCommand:
    def test_json_output(self, applications):
        rule = RiskRule.objects.create(name="通讯录少于 3 条", kind="small_phonebook", params={"entries": 3}, outcome="reject", enabled=False)
        ids = ",".join(str(pk) for pk in RiskRule.objects.filter(enabled=True).values_list("pk", flat=True))
        out = io.StringIO()
        call_command("risk_dry_run", "--rules", f"{ids},{rule.pk}", "--last", "4", "--json", stdout=out)
        report = json.loads(out.getvalue())
        assert report["counts"] == {"approve": 0, "review": 1, "reject": 3}
        assert {c["loan"]: (c["before"], c["after"], set(c["rules"])) for c in report["changed"]} == {
            applications["young"].code: ("review", "reject", {rule.pk}),
            applications["good"].code: ("approve", "reject", {rule.pk, RiskRule.objects.get(kind="clean_history").pk}),
        }

    def test_text_output_names_the_changes(self, applications):
        RiskRule.objects.filter(kind="clean_history").update(enabled=False)
        out = io.StringIO()
        call_command("risk_dry_run", "--last", "4", stdout=out)
        text = out.getvalue()
        assert "最近 4 笔申请：自动通过 0，转人工审核 3，拒绝 1" in text
        assert f"{applications['good'].code}" in text and "自动通过 → 转人工审核" in text

    def test_unknown_rules_are_refused(self, applications):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="no such rules: 999"):
            call_command("risk_dry_run", "--rules", "999")


class TestFigures:
    def test_by_outcome_and_the_rules_that_fired_most(self, applications):
        today = timezone.localdate()
        figures = decision_figures(today, today)
        assert figures.total == 4
        assert figures.by_outcome == {"review": 2, "reject": 1, "approve": 1}
        names = {rule.kind: rule.name for rule in RiskRule.objects.all()}
        # The customers without a device: only the age and the approval rules fired.
        assert sorted(figures.top_rules) == sorted([(names["age_range"], "age_range", 1), (names["clean_history"], "clean_history", 1)])

    def test_a_range_without_applications(self, applications):
        day = timezone.localdate() - timedelta(days=40)
        figures = decision_figures(day, day)
        assert (figures.total, figures.by_outcome, figures.top_rules) == (0, {}, [])


def staff_in(group_name: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


class TestAdminPages:
    def test_the_action_runs_the_selected_rules(self, client, applications):
        client.force_login(staff_in("风控"))
        draft = RiskRule.objects.create(name="通讯录少于 3 条", kind="small_phonebook", params={"entries": 3}, outcome="reject", enabled=False)
        selected = [str(pk) for pk in RiskRule.objects.values_list("pk", flat=True)]
        response = client.post("/admin/risk/riskrule/", {"action": "dry_run_rules", "_selected_action": selected}, follow=True)
        page = response.content.decode()
        assert response.status_code == 200 and "试运行风控规则" in page
        assert draft.name in page and "最近 6 笔申请的试运行结果" in page  # with the two paid-off loans
        assert applications["young"].code in page and applications["good"].code in page
        assert applications["older"].code not in page.split('id="dry-run-changes"')[1]

    def test_the_figures_page(self, client, applications):
        client.force_login(staff_in("风控"))
        today = timezone.localdate()
        page = client.get("/admin/loans/loanapplication/risk-figures/", {"start": today.isoformat(), "end": today.isoformat()}).content.decode()
        assert "借款申请 4 笔" in page and "年龄超出范围" in page
        assert client.get("/admin/loans/loanapplication/risk-figures/", {"start": "2024-02-01", "end": "2024-01-01"}).status_code == 200

    def test_the_application_page_shows_the_decision(self, client, applications):
        client.force_login(staff_in("信贷专员"))
        page = client.get(f"/admin/loans/loanapplication/{applications['old'].pk}/change/").content.decode()
        assert "触发的风控规则" in page and "年龄 61" in page and "拒绝" in page and "系统" in page

    @pytest.mark.parametrize("role, status", [("信贷专员", 403), ("运营", 403)])
    def test_others_do_not_run_the_dry_run(self, client, applications, role, status):
        client.force_login(staff_in(role))
        assert client.get("/admin/loans/loanapplication/risk-dry-run/", {"rules": "1", "last": "5"}).status_code == status

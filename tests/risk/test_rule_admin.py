"""The risk manager edits rules in the admin (CONTRACT §11, §12): a kind, then only its
parameters explained in Chinese, an outcome the kind allows, enabled, order; each change with
a reason in the operation log; nobody else edits them, and nobody deletes them."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group

from risk.kinds import REGISTRY
from risk.models import RiskRule
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/risk/riskrule/"
ADD = CHANGELIST + "add/"


def staff_in(group_name: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def manager(client):
    user = staff_in("风控")
    client.force_login(user)
    return user


def age_rule_form(**overrides):
    return {"name": "年龄 20–55", "param_min_age": "20", "param_max_age": "55", "outcome": "reject", "enabled": "on", "order": "5",
            "reason": "收紧年龄", **overrides}


class TestAdding:
    def test_the_first_step_lists_every_kind_with_its_explanation(self, client, manager):
        page = client.get(ADD).content.decode()
        for code, kind in REGISTRY.items():
            assert f'href="?kind={code}"' in page
            assert kind.label in page and kind.description in page

    def test_the_form_shows_only_that_kinds_parameters(self, client, manager):
        page = client.get(ADD + "?kind=age_range").content.decode()
        assert 'name="param_min_age"' in page and 'name="param_max_age"' in page
        assert "周岁；小于此年龄时触发" in page  # the parameter's explanation
        assert "param_days" not in page and "param_prefixes" not in page
        other = client.get(ADD + "?kind=device_applications").content.decode()
        assert 'name="param_applications"' in other and 'name="param_days"' in other and "param_min_age" not in other

    def test_the_outcome_offers_only_what_the_kind_allows(self, client, manager):
        page = client.get(ADD + "?kind=clean_history").content.decode()
        assert 'value="approve"' in page and 'value="reject"' not in page
        page = client.get(ADD + "?kind=age_range").content.decode()
        assert 'value="reject"' in page and 'value="review"' in page and 'value="approve"' not in page

    def test_a_rule_is_added_with_its_reason_in_the_operation_log(self, client, manager):
        response = client.post(ADD + "?kind=age_range", age_rule_form())
        assert response.status_code == 302, response.content.decode()[:3000]
        rule = RiskRule.objects.get(name="年龄 20–55")
        assert (rule.kind, rule.params, rule.outcome, rule.enabled, rule.order) == ("age_range", {"min_age": 20, "max_age": 55}, "reject", True, 5)
        assert (rule.changed_by, rule.change_reason) == (manager, "收紧年龄")
        entry = LogEntry.objects.get(object_id=str(rule.pk), content_type__model="riskrule")
        assert (entry.user, entry.action_flag) == (manager, ADDITION)
        assert "年龄下限 20，年龄上限 55" in entry.change_message and "原因：收紧年龄" in entry.change_message

    def test_the_reason_is_required(self, client, manager):
        response = client.post(ADD + "?kind=age_range", age_rule_form(reason=""))
        assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
        assert not RiskRule.objects.filter(name="年龄 20–55").exists()

    @pytest.mark.parametrize(
        "overrides, message",
        [
            ({"param_min_age": "56"}, "年龄上限：不能小于年龄下限"),
            ({"param_max_age": "151"}, "150"),
            ({"param_min_age": ""}, "该字段是必填项"),
            ({"outcome": "approve"}, "选择一个有效的选项"),
        ],
    )
    def test_bad_parameters_are_refused_on_their_field(self, client, manager, overrides, message):
        response = client.post(ADD + "?kind=age_range", age_rule_form(**overrides))
        assert response.status_code == 200 and message in response.content.decode()
        assert not RiskRule.objects.filter(name="年龄 20–55").exists()

    def test_prefixes_are_validated_and_normalised(self, client, manager):
        form = {"name": "地区", "param_prefixes": "65，5401", "outcome": "review", "order": "1", "reason": "试点"}
        assert client.post(ADD + "?kind=id_region", {**form, "param_prefixes": "6x"}).status_code == 200
        assert client.post(ADD + "?kind=id_region", form).status_code == 302
        assert RiskRule.objects.get(name="地区").params == {"prefixes": ["65", "5401"]}


class TestChanging:
    def test_disabling_a_rule_logs_before_and_after(self, client, manager):
        rule = RiskRule.objects.get(kind="device_customers")  # a default rule
        page = client.get(f"{CHANGELIST}{rule.pk}/change/").content.decode()
        assert 'name="param_customers"' in page and 'value="3"' in page and "设备多人共用" in page
        form = {"name": rule.name, "param_customers": "5", "outcome": "review", "order": str(rule.order), "reason": "误伤太多"}
        assert client.post(f"{CHANGELIST}{rule.pk}/change/", form).status_code == 302
        rule.refresh_from_db()
        assert (rule.params, rule.enabled, rule.change_reason) == ({"customers": 5}, False, "误伤太多")
        entry = LogEntry.objects.filter(object_id=str(rule.pk), content_type__model="riskrule").get()
        assert entry.action_flag == CHANGE
        assert "参数：客户数 N 3 → 客户数 N 5" in entry.change_message
        assert "启用：是 → 否" in entry.change_message and "原因：误伤太多" in entry.change_message
        assert "顺序" not in entry.change_message  # unchanged fields are left out

    def test_nobody_deletes_a_rule(self, client, manager, admin_client):
        rule = RiskRule.objects.first()
        assert client.get(f"{CHANGELIST}{rule.pk}/delete/").status_code == 403
        assert admin_client.post(f"{CHANGELIST}{rule.pk}/delete/", {"post": "yes"}).status_code == 403
        assert RiskRule.objects.filter(pk=rule.pk).exists()

    def test_the_list_shows_the_rules_in_words(self, client, manager):
        page = client.get(CHANGELIST).content.decode()
        assert "年龄超出范围" in page and "年龄下限 18，年龄上限 60" in page and "自动通过" in page


@pytest.mark.parametrize("role", ["信贷专员", "运营"])
def test_other_roles_do_not_edit_rules(client, role):
    client.force_login(staff_in(role))
    assert client.get(ADD + "?kind=age_range").status_code == 403
    assert client.get(CHANGELIST).status_code == 403

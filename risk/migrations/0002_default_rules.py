"""The enabled default rules after ``migrate`` (CONTRACT §12): so a first-time applicant waits
for a loan officer, a customer outside 18–60 is refused, and one with two clean loans is
approved by the system."""

from django.db import migrations

DEFAULT_RULES = [
    ("年龄不在 18–60 周岁", "age_range", {"min_age": 18, "max_age": 60}, "reject", 10),
    ("设备被超过 3 个客户使用", "device_customers", {"customers": 3}, "review", 20),
    ("至少 2 笔结清且每期逾期不超过 3 天", "clean_history", {"loans": 2, "days": 3}, "approve", 30),
]


def add_default_rules(apps, schema_editor):
    RiskRule = apps.get_model("risk", "RiskRule")
    for name, kind, params, outcome, order in DEFAULT_RULES:
        RiskRule.objects.create(
            name=name, kind=kind, params=params, outcome=outcome, order=order, enabled=True, change_reason="系统默认规则"
        )


def remove_default_rules(apps, schema_editor):
    RiskRule = apps.get_model("risk", "RiskRule")
    RiskRule.objects.filter(change_reason="系统默认规则", changed_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(add_default_rules, remove_default_rules)]

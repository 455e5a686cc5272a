"""``loaddemo`` and published passwords (CONTRACT §11): "With DEBUG off: loaddemo refuses to
run, and no account with a known password exists"; ``check --deploy`` finds one left behind."""

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.processes import BIN, production_env, run

pytestmark = pytest.mark.django_db


def test_loaddemo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("loaddemo")
    assert not User.objects.exists()


def test_loaddemo_exits_non_zero_saying_why(tmp_path):
    env = production_env(EMBEDDED_SERVICES="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = run([str(BIN / "python"), "manage.py", "loaddemo"], env)
    assert result.returncode != 0
    assert "loaddemo refuses to run with DEBUG off" in result.stderr
    assert "admin123" not in result.stdout


def demo_password_errors() -> list[str]:
    return [error.msg for error in run_checks(include_deployment_checks=True) if error.id == "cashloan.E002"]


def test_check_deploy_names_accounts_that_keep_a_demo_password(settings):
    settings.DEBUG = True
    call_command("loaddemo", stdout=open("/dev/null", "w"))
    roles = ["collector", "collector2", "finance", "finance2", "lead", "officer", "operator", "risk"]
    assert [message.split("'")[1] for message in demo_password_errors()] == ["13800000000", "admin", *roles]

    admin = User.objects.get(username="admin")
    admin.set_password("a-real-long-password")
    admin.save()
    assert [message.split("'")[1] for message in demo_password_errors()] == ["13800000000", *roles]


def test_each_role_has_a_login_and_work_waiting(settings):
    """A newcomer tries every workspace (``scripts/run``): a login per role, three overdue loans
    with their cases (M1, M2, M4+) shared by the demo collectors, an application for the officer;
    run again, nothing more is made."""
    from loans.models import ApplicationStatus, LoanApplication
    from recovery.models import CollectionCase

    settings.DEBUG = True
    for _ in range(2):
        call_command("loaddemo", stdout=open("/dev/null", "w"))
    groups = dict(User.objects.filter(is_staff=True, is_superuser=False).values_list("username", "groups__name"))
    assert groups == {
        "officer": "信贷专员", "finance": "财务", "finance2": "财务", "risk": "风控", "operator": "运营",
        "collector": "催收专员", "collector2": "催收专员", "lead": "催收主管",
    }
    assert User.objects.get(username="lead").check_password("staff123")
    cases = CollectionCase.objects.filter(status="open").order_by("dpd")
    assert [case.bucket for case in cases] == ["M1", "M2", "M4+"]
    assert {case.collector.username for case in cases} == {"collector", "collector2"}
    assert LoanApplication.objects.filter(status=ApplicationStatus.PENDING).count() == 1
    assert not User.objects.get(mobile="13800000000").loans.exists()  # the app's demo customer may apply

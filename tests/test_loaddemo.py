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
    assert [message.split("'")[1] for message in demo_password_errors()] == ["13800000000", "admin"]

    admin = User.objects.get(username="admin")
    admin.set_password("a-real-long-password")
    admin.save()
    assert [message.split("'")[1] for message in demo_password_errors()] == ["13800000000"]

"""Production refuses to start on unsound secrets or missing services (CONTRACT §3, §11).

"With DEBUG off: ... the server (web, worker and manage.py alike) refuses to start, with a
message naming the variable, when FIELD_ENCRYPTION_KEY is not 32 bytes of base64, APP_KEY is
shorter than 8 bytes, SECRET_KEY is shorter than 32 characters, or REDIS_URL or
CELERY_BROKER_URL is unset. EMBEDDED_SERVICES=1 declares a deliberate single-process trial
instead: ... a warning says so at start." Each start runs in a fresh interpreter.
"""

import base64
import subprocess

import pytest

from cashloan import config
from tests.processes import BIN, VALID_SECRETS, production_env, run, run_python

SERVICES = {"REDIS_URL": "redis://127.0.0.1:6379/0", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/2"}
START = (
    "import django; django.setup(); from django.conf import settings; "
    "print('started', settings.CACHES['default']['BACKEND'], settings.CELERY_TASK_ALWAYS_EAGER, settings.API_DOCS_PUBLIC)"
)


def start_django(**overrides) -> subprocess.CompletedProcess:
    return run_python(START, production_env(**{**SERVICES, **overrides}))


def key_of(size: int) -> str:
    return base64.b64encode(b"k" * size).decode()


def problems(**overrides) -> list[str]:
    """What the start check finds in VALID_SECRETS and SERVICES changed by ``overrides``."""
    values = {**VALID_SECRETS, **SERVICES, **overrides}
    return config.production_problems(
        secret_key=values["SECRET_KEY"], app_key=values["APP_KEY"], field_encryption_key=values["FIELD_ENCRYPTION_KEY"],
        redis_url=values["REDIS_URL"] or "", broker_url=values["CELERY_BROKER_URL"] or "", embedded=False,
    )


@pytest.mark.parametrize(
    "variable, value, says",
    [
        ("SECRET_KEY", None, "SECRET_KEY is not set"),
        ("APP_KEY", None, "APP_KEY is not set"),
        ("FIELD_ENCRYPTION_KEY", None, "FIELD_ENCRYPTION_KEY is not set"),
        ("FIELD_ENCRYPTION_KEY", key_of(31), "FIELD_ENCRYPTION_KEY must decode to 32 bytes (it decodes to 31)"),
        ("FIELD_ENCRYPTION_KEY", key_of(33), "FIELD_ENCRYPTION_KEY must decode to 32 bytes (it decodes to 33)"),
        ("FIELD_ENCRYPTION_KEY", "k" * 44, "FIELD_ENCRYPTION_KEY must decode to 32 bytes (it decodes to 33)"),
        ("FIELD_ENCRYPTION_KEY", "not base64 at all!", "FIELD_ENCRYPTION_KEY is not base64"),
        ("FIELD_ENCRYPTION_KEY", config.DEV_FIELD_ENCRYPTION_KEY, "FIELD_ENCRYPTION_KEY is the public development value"),
        ("APP_KEY", "abc", "APP_KEY must be at least 8 bytes (it has 3)"),
        ("APP_KEY", "密钥", "APP_KEY must be at least 8 bytes (it has 6)"),
        ("SECRET_KEY", "", "SECRET_KEY must be at least 32 characters (it has 0)"),
        ("SECRET_KEY", "s" * 31, "SECRET_KEY must be at least 32 characters (it has 31)"),
        ("SECRET_KEY", config.DEV_SECRET_KEY, "SECRET_KEY is the public development value"),
        ("REDIS_URL", None, "REDIS_URL is unset"),
        ("CELERY_BROKER_URL", None, "CELERY_BROKER_URL is unset"),
    ],
)
def test_each_unsound_value_is_one_problem_naming_the_variable(variable, value, says):
    (problem,) = problems(**{variable: value})
    assert problem.startswith(says)


def test_sound_values_are_no_problem():
    assert problems() == [] and problems(APP_KEY="12345678", SECRET_KEY="s" * 32) == []


@pytest.mark.parametrize(
    "variable, value, says",
    [
        ("SECRET_KEY", None, "SECRET_KEY is not set"),
        ("FIELD_ENCRYPTION_KEY", "k" * 44, "FIELD_ENCRYPTION_KEY must decode to 32 bytes (it decodes to 33)"),
        ("REDIS_URL", None, "REDIS_URL is unset"),
    ],
)
def test_production_refuses_to_start_naming_the_variable(variable, value, says):
    result = start_django(**{variable: value})
    assert result.returncode != 0
    assert says in result.stderr
    assert "started" not in result.stdout


def test_every_problem_is_reported_at_once():
    result = start_django(APP_KEY="abc", CELERY_BROKER_URL=None)
    assert result.returncode != 0
    assert "APP_KEY must be at least 8 bytes" in result.stderr and "CELERY_BROKER_URL is unset" in result.stderr


def test_production_starts_with_sound_values_including_test_app_key():
    result = start_django(APP_KEY="12345678")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["started", "django_redis.cache.RedisCache", "False", "False"]
    assert "EMBEDDED_SERVICES" not in result.stderr


def test_a_trial_runs_in_process_and_says_so_at_start():
    result = run_python(START, production_env(EMBEDDED_SERVICES="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["started", "django.core.cache.backends.locmem.LocMemCache", "True", "False"]
    assert "EMBEDDED_SERVICES=1" in result.stderr
    assert "REDIS_URL is unset" in result.stderr and "CELERY_BROKER_URL is unset" in result.stderr


def test_a_trial_still_needs_sound_secrets():
    result = run_python(START, production_env(EMBEDDED_SERVICES="1", APP_KEY="1234567"))
    assert result.returncode != 0
    assert "APP_KEY must be at least 8 bytes" in result.stderr


def test_worker_refuses_to_start():
    env = production_env(**SERVICES, FIELD_ENCRYPTION_KEY=key_of(31))
    result = run([str(BIN / "celery"), "-A", "cashloan", "worker", "--pool=solo", "--without-heartbeat"], env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY must decode to 32 bytes" in result.stderr


def test_web_refuses_to_start():
    env = production_env(**SERVICES, SECRET_KEY="short", GUNICORN_BIND="127.0.0.1:0", GUNICORN_WORKERS="1")
    result = run([str(BIN / "gunicorn"), "--no-control-socket", "cashloan.wsgi"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 32 characters" in result.stderr


def test_manage_py_refuses_to_start():
    result = run([str(BIN / "python"), "manage.py", "migrate", "--check"], production_env(**SERVICES, APP_KEY="1234"))
    assert result.returncode != 0
    assert "APP_KEY must be at least 8 bytes" in result.stderr


def test_api_docs_are_public_by_default_with_debug_only():
    """CONTRACT §11: "API_DOCS_PUBLIC (default: on with DEBUG, off without)" (off: the starts above)."""
    result = run_python(START, production_env(**SERVICES, DEBUG="1"))
    assert result.stdout.split()[-1] == "True", result.stderr

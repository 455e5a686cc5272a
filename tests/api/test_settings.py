"""Production refuses to start with default secrets (CONTRACT §3)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SECRETS = ("SECRET_KEY", "APP_KEY", "FIELD_ENCRYPTION_KEY")


def start_django(**env_overrides) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in SECRETS + ("DEBUG",)}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=settings.BASE_DIR, env={**env, "DJANGO_SETTINGS_MODULE": "cashloan.settings"},
        capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("missing", SECRETS)
def test_production_refuses_missing_secret(missing):
    given = {name: "x" * 44 for name in SECRETS if name != missing}
    result = start_django(DEBUG="0", **given)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_explicit_secrets_including_test_app_key():
    result = start_django(DEBUG="0", SECRET_KEY="s" * 50, APP_KEY="12345678", FIELD_ENCRYPTION_KEY="k" * 44)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout

"""``manage.py check --deploy`` reports what production refuses to start with (CONTRACT §11)."""

import base64

import pytest
from django.core.checks import run_checks

from cashloan import config

pytestmark = pytest.mark.django_db  # the run includes the demo-password check


def environment_errors() -> list[str]:
    return [error.msg for error in run_checks(include_deployment_checks=True) if error.id == "cashloan.E001"]


def test_check_deploy_reports_development_values_and_missing_services(settings):
    settings.SECRET_KEY = config.DEV_SECRET_KEY
    settings.FIELD_ENCRYPTION_KEY = config.DEV_FIELD_ENCRYPTION_KEY
    settings.APP_KEY = "12345678"
    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""
    assert [message.split(" ")[0] for message in environment_errors()] == [
        "SECRET_KEY", "FIELD_ENCRYPTION_KEY", "REDIS_URL", "CELERY_BROKER_URL"
    ]


def test_check_deploy_reports_malformed_keys(settings):
    settings.SECRET_KEY = "x" * 20
    settings.APP_KEY = "abc"
    settings.FIELD_ENCRYPTION_KEY = base64.b64encode(b"k" * 31).decode()
    settings.REDIS_URL, settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0", "amqp://guest:guest@127.0.0.1:5672//"
    assert environment_errors() == [
        "SECRET_KEY must be at least 32 characters (it has 20)",
        "APP_KEY must be at least 8 bytes (it has 3)",
        "FIELD_ENCRYPTION_KEY must decode to 32 bytes (it decodes to 31)",
    ]


def test_check_deploy_is_quiet_on_a_sound_configuration(settings):
    settings.SECRET_KEY = "y" * 50
    settings.FIELD_ENCRYPTION_KEY = base64.b64encode(b"k" * 32).decode()
    settings.REDIS_URL, settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/2"
    assert environment_errors() == []

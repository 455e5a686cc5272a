"""``manage.py check --deploy``: what production refuses to start with (CONTRACT §11).

With DEBUG off the settings already refuse these; the check lets an operator see them on an
install that still runs with DEBUG on, and finds accounts that still have a demo password.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from . import config


@register(Tags.security, deploy=True)
def check_production_environment(app_configs, **kwargs):
    problems = config.production_problems(
        secret_key=settings.SECRET_KEY, app_key=settings.APP_KEY, field_encryption_key=settings.FIELD_ENCRYPTION_KEY,
        redis_url=settings.REDIS_URL, broker_url=settings.CELERY_BROKER_URL, embedded=False,
    )
    return [Error(problem, id="cashloan.E001") for problem in problems]


@register(Tags.security, deploy=True)
def check_no_demo_passwords(app_configs, **kwargs):
    from accounts.demo import accounts_with_demo_password

    try:
        names = accounts_with_demo_password()
    except DatabaseError:  # not migrated yet, or unreachable: nothing to look at
        return []
    return [
        Error(f"account {name!r} still has its demo password (loaddemo): change it or delete the account", id="cashloan.E002")
        for name in names
    ]

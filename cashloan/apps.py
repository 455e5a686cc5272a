import logging

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate

from . import config

logger = logging.getLogger("cashloan")


class CashloanConfig(AppConfig):
    name = "cashloan"
    verbose_name = "系统"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
        from .roles import sync_roles

        # Runs after every app's migrations and after auth has created the permissions.
        post_migrate.connect(sync_roles, dispatch_uid="cashloan.sync_roles")
        warn_of_embedded_services()


def warn_of_embedded_services() -> None:
    """A trial (DEBUG off, EMBEDDED_SERVICES=1) says at start what it runs in-process (CONTRACT §11)."""
    if settings.DEBUG or not settings.EMBEDDED_SERVICES:
        return
    for fallback in config.embedded_fallbacks(redis_url=settings.REDIS_URL, broker_url=settings.CELERY_BROKER_URL):
        logger.warning("EMBEDDED_SERVICES=1, a single-process trial, not production: %s", fallback)

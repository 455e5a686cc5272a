"""What a production install needs from its environment (CONTRACT §11), checked in one place.

``settings.py`` refuses to start with ``DEBUG`` off when :func:`production_problems` finds
anything (web, worker and ``manage.py`` all load the settings first), and
``manage.py check --deploy`` reports the same problems on any install (``cashloan/checks.py``).
Standard library only: the settings module imports it before Django is set up.
"""

import base64
import binascii

MIN_SECRET_KEY_CHARS = 32
MIN_APP_KEY_BYTES = 8
FIELD_KEY_BYTES = 32
# The development defaults are public (they are in this repository): never good for production.
DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"
DEV_FIELD_ENCRYPTION_KEY = "ZGV2LWluc2VjdXJlLWZpZWxkLWtleS0zMi1ieXRlcyE="  # 32 bytes, base64


def production_problems(
    *,
    secret_key: str | None,
    app_key: str | None,
    field_encryption_key: str | None,
    redis_url: str,
    broker_url: str,
    embedded: bool,
) -> list[str]:
    """One sentence per problem, each naming the variable to fix; a secret is None when unset."""
    problems = [
        *_secret_problems("SECRET_KEY", secret_key, _secret_key_problems),
        *_secret_problems("APP_KEY", app_key, _app_key_problems),
        *_secret_problems("FIELD_ENCRYPTION_KEY", field_encryption_key, _field_key_problems),
    ]
    if not embedded:
        if not redis_url:
            problems.append("REDIS_URL is unset: set it (redis://host:6379/0), or EMBEDDED_SERVICES=1 for a single-process trial")
        if not broker_url:
            problems.append(
                "CELERY_BROKER_URL is unset: set it (redis://… or amqp://…), or EMBEDDED_SERVICES=1 for a single-process trial"
            )
    return problems


def _secret_problems(name: str, value: str | None, check) -> list[str]:
    if value is None:
        return [f"{name} is not set: production needs it explicitly"]
    return check(value)


def embedded_fallbacks(*, redis_url: str, broker_url: str) -> list[str]:
    """What a trial install runs in-process instead of a real service (for the start warning)."""
    fallbacks = []
    if not redis_url:
        fallbacks.append("REDIS_URL is unset: the cache, sessions and rate limits are in this process's memory")
    if not broker_url:
        fallbacks.append("CELERY_BROKER_URL is unset: tasks run in the web process, and beat does not run")
    return fallbacks


def _secret_key_problems(value: str) -> list[str]:
    if value == DEV_SECRET_KEY:
        return ["SECRET_KEY is the public development value: generate a random one"]
    if len(value) < MIN_SECRET_KEY_CHARS:
        return [f"SECRET_KEY must be at least {MIN_SECRET_KEY_CHARS} characters (it has {len(value)})"]
    return []


def _app_key_problems(value: str) -> list[str]:
    size = len(value.encode("utf-8"))
    if size < MIN_APP_KEY_BYTES:
        return [f"APP_KEY must be at least {MIN_APP_KEY_BYTES} bytes (it has {size})"]
    return []


def _field_key_problems(value: str) -> list[str]:
    if value == DEV_FIELD_ENCRYPTION_KEY:
        return ["FIELD_ENCRYPTION_KEY is the public development value: generate 32 random bytes, base64"]
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return ["FIELD_ENCRYPTION_KEY is not base64: it must be 32 random bytes, base64-encoded"]
    if len(key) != FIELD_KEY_BYTES:
        return [f"FIELD_ENCRYPTION_KEY must decode to {FIELD_KEY_BYTES} bytes (it decodes to {len(key)})"]
    return []

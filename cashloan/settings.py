"""One settings module, configured from the environment (see README "Configuration").

With nothing set, the project runs on the embedded default: SQLite, a local-memory
cache and Celery tasks executed eagerly, so that a newcomer can try it in one command.
Production (``DEBUG`` off) refuses to start without sound secrets and real services
(``cashloan/config.py``), unless ``EMBEDDED_SERVICES=1`` declares a single-process trial.
"""

import os
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from cashloan import config, logs

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; real deployments set the environment

DEBUG = env.bool("DEBUG", default=False)
# A deliberate single-process trial with DEBUG off: without Redis the cache is local memory,
# without a broker tasks run in the web process (a warning says so at start, cashloan/apps.py).
EMBEDDED_SERVICES = env.bool("EMBEDDED_SERVICES", default=False)

SECRET_KEY = env("SECRET_KEY", default=config.DEV_SECRET_KEY)
APP_KEY = env("APP_KEY", default="12345678")
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default=config.DEV_FIELD_ENCRYPTION_KEY)
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")

if not DEBUG:
    _problems = config.production_problems(
        secret_key=env.ENVIRON.get("SECRET_KEY"), app_key=env.ENVIRON.get("APP_KEY"),
        field_encryption_key=env.ENVIRON.get("FIELD_ENCRYPTION_KEY"),
        redis_url=REDIS_URL, broker_url=CELERY_BROKER_URL, embedded=EMBEDDED_SERVICES,
    )
    if _problems:
        raise ImproperlyConfigured(
            "DEBUG is off and the environment is not fit for production (see README, Configuration):\n- "
            + "\n- ".join(_problems)
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # staff login throttling (before cashloan: cashloan's admin proxies its model)
    "cashloan",  # before drf_spectacular: its template overrides theirs
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "products",
    "ledger",
    "loans",
    "risk",
    "messaging",
    "recovery",  # collections (催收); not "collections", which would shadow the standard library
    "backoffice",  # last: the pages that read across the apps above
]

MIDDLEWARE = [
    "cashloan.api.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "cashloan.api.middleware.BearerSessionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cashloan.api.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out staff login into the lock-out page
]

ROOT_URLCONF = env("ROOT_URLCONF", default="cashloan.urls")  # bench/ adds its reference views
CSRF_FAILURE_VIEW = "cashloan.error_pages.csrf_failure"  # the site's Chinese 403 page
APPEND_SLASH = False  # API paths answer with and without the slash themselves

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cashloan.wsgi.application"

# --- Database -----------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# A health check costs a round trip per request; without it, a connection broken by a database
# restart fails one request (answered 9999, nothing written) and is then replaced.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
USES_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# A database that stops answering gives clean errors within these (CONTRACT §11): 9999, /healthz 503.
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=5)  # seconds; libpq's minimum is 2
DB_STATEMENT_TIMEOUT = env.float("DB_STATEMENT_TIMEOUT", default=5)  # seconds, enforced by the server; 0: none
if USES_POSTGRES:
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    if DB_STATEMENT_TIMEOUT:
        _pg_options.setdefault("options", f"-c statement_timeout={int(DB_STATEMENT_TIMEOUT * 1000)}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=5)  # seconds to connect, and for each command
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # pytest-xdist workers share one Redis: each keeps its own key space.
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="cashloan") + os.environ.get("PYTEST_XDIST_WORKER", ""),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
            },
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_NAME = "JSESSIONID"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 24 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Auth ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked-out staff login before any password is checked. Customers log
# in through the API (accounts.services.sessions, with its own lockout), never through these.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.UserBackend"]

# Staff (admin) login throttle (CONTRACT §11): after ADMIN_LOGIN_MAX_FAILURES failures a user
# name, and separately a client address, is locked for ADMIN_LOGIN_LOCK_SECONDS; a superuser
# unlocks at 系统 → 后台登录失败记录 (or the lock ends by itself).
AXES_FAILURE_LIMIT = env.int("ADMIN_LOGIN_MAX_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(seconds=env.int("ADMIN_LOGIN_LOCK_SECONDS", default=900))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_ONLY_ADMIN_SITE = True
AXES_HANDLER = "cashloan.staff_logins.StaffOnlyHandler"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cashloan.api.ratelimit.client_ip"  # TRUSTED_PROXY_COUNT, as every per-IP limit
AXES_LOCKOUT_TEMPLATE = "admin/login_locked.html"
AXES_ENABLE_ADMIN = False  # our own page, in Chinese, with the unlock action (cashloan.admin)
AXES_DISABLE_ACCESS_LOG = True  # the failures are what the lock needs; logins are not kept
AXES_VERBOSE = False
PASSWORD_HASHERS = [
    "cashloan.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 6}},
]

# --- Internationalisation: the back office is for Chinese-speaking staff ------------
LANGUAGE_CODE = "zh-hans"
LOCALE_PATHS = [BASE_DIR / "locale"]  # Django's own admin strings its zh-hans catalogue lacks
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6's default, today

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise serves the admin's and the API docs' assets from the app itself (no CDN);
    # in production from STATIC_ROOT, filled by ``collectstatic`` with hashed names.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- API protocol (cashloan/api) -------------------------------------------------------
SIGN_WINDOW_SECONDS = env.int("SIGN_WINDOW_SECONDS", default=300)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)  # proxies in front that append X-Forwarded-For
API_DEFAULT_PAGE_SIZE = 10
API_MAX_PAGE_SIZE = 50

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "cashloan.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "cashloan.api.schema.EnvelopeAutoSchema",
}
# The OpenAPI description and its pages: public, or staff only (anonymous → the admin login).
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=DEBUG)
SPECTACULAR_SETTINGS = {
    "TITLE": "现金贷 App API",
    "DESCRIPTION": "Signed JSON endpoints of the cash-loan app (seed V1.0.22 + CONTRACT). "
    "Every request carries timestamp, nonce and sign; every reply is the signed envelope.",
    "VERSION": "1.0.22",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["cashloan.api.schema.strip_optional_slash"],
}

# --- Celery ----------------------------------------------------------------------------
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")  # installs sharing a broker use their own
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # an enqueue to a broker that stopped answering fails in seconds instead of hanging the request
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": REDIS_TIMEOUT, "socket_connect_timeout": REDIS_TIMEOUT}
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# beat's state (last run of each entry) stays out of the checkout's top level (var/ is ignored)
CELERY_BEAT_SCHEDULER = "cashloan.celery:BeatScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule"))

# --- SMS -------------------------------------------------------------------------------------
SMS_BACKEND = env("SMS_BACKEND", default="console")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms.jsonl"))

SMS_RETRY_BASE_SECONDS = env.int("SMS_RETRY_BASE_SECONDS", default=10)  # backoff: base × 2^attempt

# --- Accounts: captcha, SMS codes, login lockout, verification (CONTRACT §5, §7) -----------------
CAPTCHA_TTL_SECONDS = env.int("CAPTCHA_TTL_SECONDS", default=120)
CAPTCHA_IP_PER_MINUTE = env.int("CAPTCHA_IP_PER_MINUTE", default=30)  # getCode calls per client IP
# The session getCode starts for a caller who is not logged in lives this long, not 30 days.
ANONYMOUS_SESSION_SECONDS = env.int("ANONYMOUS_SESSION_SECONDS", default=600)
SMS_CODE_TTL_SECONDS = env.int("SMS_CODE_TTL_SECONDS", default=300)
SMS_PROOF_TTL_SECONDS = env.int("SMS_PROOF_TTL_SECONDS", default=600)
SMS_MOBILE_INTERVAL_SECONDS = env.int("SMS_MOBILE_INTERVAL_SECONDS", default=60)
SMS_MOBILE_DAILY_LIMIT = env.int("SMS_MOBILE_DAILY_LIMIT", default=10)
SMS_IP_HOURLY_LIMIT = env.int("SMS_IP_HOURLY_LIMIT", default=20)
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=900)
LOGIN_LOCK_SECONDS = env.int("LOGIN_LOCK_SECONDS", default=900)
LOGIN_IP_PER_MINUTE = env.int("LOGIN_IP_PER_MINUTE", default=60)
VERIFICATION_PROVIDER = env("VERIFICATION_PROVIDER", default="accounts.providers.LocalVerificationProvider")

# --- Products and loans ---------------------------------------------------------------------------
PRODUCT_CACHE_SECONDS = env.int("PRODUCT_CACHE_SECONDS", default=3600)
PRODUCT_VERSION_RECHECK_SECONDS = env.float("PRODUCT_VERSION_RECHECK_SECONDS", default=1.0)
PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", default="loans.payments.ImmediatePaymentProvider")
DISBURSEMENT_PROVIDER = env("DISBURSEMENT_PROVIDER", default="loans.disbursements.ImmediateDisbursementProvider")
# CONTRACT §11: the staff user who approved a loan may not disburse it.
FOUR_EYES = env.bool("FOUR_EYES", default=True)
REPAYMENT_REMINDER_DAYS = env.list("REPAYMENT_REMINDER_DAYS", cast=int, default=[3, 1])
LENDER_NAME = env("LENDER_NAME", default="示例小额贷款有限公司")
# Finance may write a loan off once it is this many days past due (CONTRACT §14).
WRITE_OFF_MIN_DPD = env.int("WRITE_OFF_MIN_DPD", default=180)
# SMS are delivered only outside these hours, Asia/Shanghai (CONTRACT §13; one-time codes always);
# empty: no quiet hours.
SMS_QUIET_HOURS = env("SMS_QUIET_HOURS", default="21:00-08:00")
# Collections (CONTRACT §13): on, new cases go round-robin among the collectors given their bucket.
COLLECTION_ASSIGN_BY_BUCKET = env.bool("COLLECTION_ASSIGN_BY_BUCKET", default=False)


# --- Risk: credit limits and the cost cap (CONTRACT §12) -------------------------------------------
def _env_decimal(name: str, default: str = "") -> Decimal | None:
    """A non-negative decimal from the environment; unset or empty → None (no limit)."""
    raw = env(name, default=default).strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be a decimal number, not {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise ImproperlyConfigured(f"{name} must be a number not below 0, not {raw!r}")
    return value


CREDIT_INITIAL_LIMIT = _env_decimal("CREDIT_INITIAL_LIMIT")  # a new customer's total credit; None: unlimited
CREDIT_RAISE_PERCENT = _env_decimal("CREDIT_RAISE_PERCENT", "20")  # of the limit, after each clean pay-off
CREDIT_MAX_LIMIT = _env_decimal("CREDIT_MAX_LIMIT")  # raises stop here; None: no ceiling
ANNUAL_COST_CAP = _env_decimal("ANNUAL_COST_CAP")  # e.g. 0.36; None: no cap


# --- Finance operations (CONTRACT §15): four eyes, limits, proofs ----------------------------------
# An offline repayment posts only when a second finance user confirms it (off: at once).
OFFLINE_REPAYMENT_FOUR_EYES = env.bool("OFFLINE_REPAYMENT_FOUR_EYES", default=True)
OFFLINE_PROOF_MAX_BYTES = env.int("OFFLINE_PROOF_MAX_BYTES", default=5 * 1024 * 1024)
WAIVER_MAX_AMOUNT = _env_decimal("WAIVER_MAX_AMOUNT")  # the most one waiver may waive, in yuan; None: no limit
# Uploaded files (offline repayments' proofs): never served by a public URL, only by a staff view.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))


# --- Logging (cashloan/logs.py: one format for the app, gunicorn and Celery) ---------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="plain")
if LOG_FORMAT not in logs.LOG_FORMATS:
    raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(logs.LOG_FORMATS)} (it is {LOG_FORMAT!r})")
LOGGING_CONFIG = "cashloan.logs.configure"
LOGGING = logs.logging_config(level=LOG_LEVEL, log_format=LOG_FORMAT, time_zone=TIME_ZONE)

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True

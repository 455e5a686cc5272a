"""First-time applicants for the benchmark's ``loanProductApply`` row: each applies once.

    python manage.py shell -c "import bench.applicants; bench.applicants.load(6000, '/tmp/sessions.txt')"

A customer may have one unfinished loan, so every successful application needs a customer of
its own. Each one is verified (aged 30, two contacts), logged in from a device of its own (a
session made directly in the session store, as a login would leave it), and its session id is
written to ``path``, one a line. With the default risk rules each application waits for a loan
officer: the whole decision runs (the file, the history, the device, the rules).
"""

from datetime import date
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cashloan.crypto import keyed_digest
from accounts.backends import CUSTOMER_BACKEND
from accounts.models import AppType, Contact, Device, Identity, User
from accounts.services.sessions import DEVICE_TOKEN_KEY

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
BATCH = 500


def id_number(sequence: int, birth: date) -> str:
    body = f"110101{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def birth_date(number: int, today: date) -> date:
    """Aged 30 to 49, a different day for each block of 20,000 numbers: unique ID numbers."""
    return date(today.year - 30 - number // 1000 % 20, 1 + number // 20_000 % 12, 1)


def load(count: int, path: str, *, first_number: int = 0) -> None:
    """``count`` applicants, mobiles 151 + eight digits from ``first_number``; sessions in ``path``
    in the order of their numbers."""
    today = timezone.localdate()
    password = make_password(None)  # unusable: they never log in with a password
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = []
    for start in range(first_number, first_number + count, BATCH):
        numbers = range(start, min(start + BATCH, first_number + count))
        users = User.objects.bulk_create(
            User(
                username=f"151{n:08d}", mobile=f"151{n:08d}", password=password, real_name="压测客户",
                real_name_verified=True, bank_card_verified=True, mobile_verified=True, info_completed=True,
            )
            for n in numbers
        )
        now = timezone.now()
        Identity.objects.bulk_create(
            Identity(user=user, real_name="压测客户", id_number=number, id_number_digest=keyed_digest("id_number", number), verified_at=now)
            for user, n in zip(users, numbers)
            for number in [id_number(n, birth_date(n, today))]
        )
        Contact.objects.bulk_create(
            Contact(user=user, rel_type=rel_type, real_name="联系人", phone_num=f"139{n:06d}{rel_type:02d}")
            for user, n in zip(users, numbers)
            for rel_type in (1, 6)
        )
        Device.objects.bulk_create(
            Device(user=user, app_type=AppType.ANDROID, token=f"bench-device-{n}", last_login_at=now) for user, n in zip(users, numbers)
        )
        for user, n in zip(users, numbers):
            session = store()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = CUSTOMER_BACKEND
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session[DEVICE_TOKEN_KEY] = f"bench-device-{n}"
            session.create()
            sessions.append(session.session_key)
    with open(path, "w", encoding="utf-8") as file:
        file.write("\n".join(sessions) + "\n")

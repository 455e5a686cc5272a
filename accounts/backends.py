"""The authentication backend: Django's ModelBackend with a cheaper per-request user load.

Every logged-in API request loads its user by primary key. Building that query through the
ORM (filter, compile, 20 quoted columns) costs more than running it: about 0.9 ms against
0.35 ms for the same row through a fixed SQL string on the 2-core benchmark machine. The row
is read fresh on every request as before — nothing is cached, so deactivating or editing a
user takes effect at once.
"""

from functools import cache

from django.contrib.auth.backends import ModelBackend

from .models import User


class UserBackend(ModelBackend):
    """The backend every session records (customers' API logins name it; staff get it through
    ``authenticate``, after axes' lock check)."""

    def get_user(self, user_id):
        user = next(iter(User._default_manager.raw(_user_by_pk_sql(), [user_id])), None)
        return user if user is not None and self.user_can_authenticate(user) else None


CUSTOMER_BACKEND = f"{UserBackend.__module__}.{UserBackend.__qualname__}"


@cache
def _user_by_pk_sql() -> str:
    meta = User._meta
    return f'SELECT * FROM "{meta.db_table}" WHERE "{meta.pk.column}" = %s'

"""Staff login locks (django-axes, CONTRACT §11): reading whether a row locks, and unlocking.

Axes locks a user name, and separately a client address, once its failures reach
``AXES_FAILURE_LIMIT`` within ``AXES_COOLOFF_TIME``. Unlocking sets the failures of every row of
that user name or that address to 0 (axes then lets both try again); the row stays as the
record of what happened.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import StaffLoginFailure


class StaffOnlyHandler(AxesDatabaseHandler):
    """Axes' database handler, deaf to the customers' API logins (``AXES_HANDLER``).

    ``AXES_ONLY_ADMIN_SITE`` keeps axes from counting or refusing anything but the admin login,
    but its ``user_logged_in`` would still clean and reset attempts on every customer login
    (three queries on ``/security/login``): those signals are answered for the admin only.
    """

    def user_logged_in(self, sender, request, user, **kwargs):
        if self.is_admin_request(request):
            super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        if self.is_admin_request(request):
            super().user_logged_out(sender, request, user, **kwargs)


def is_locking(row: StaffLoginFailure) -> bool:
    recent = row.attempt_time >= timezone.now() - settings.AXES_COOLOFF_TIME
    return recent and row.failures_since_start >= settings.AXES_FAILURE_LIMIT


def unlock(row: StaffLoginFailure) -> StaffLoginFailure:
    """Let the row's user name and address log in again; returns the row as it now is."""
    with transaction.atomic():
        same = Q(username=row.username) | Q(ip_address=row.ip_address)
        StaffLoginFailure.objects.filter(same).update(failures_since_start=0)
    return StaffLoginFailure.objects.get(pk=row.pk)

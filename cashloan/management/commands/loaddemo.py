"""``python manage.py loaddemo``: idempotent demo data for a first run (DEBUG on only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import accounts.demo
import loans.demo
import messaging.demo
import products.demo


class Command(BaseCommand):
    help = "Creates demo products, a system message, app versions, H5 texts, demo logins (one per staff role) and loans (idempotent; DEBUG on only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            # The demo logins have published passwords (CONTRACT §11): never on a production install.
            raise CommandError(
                "loaddemo refuses to run with DEBUG off: it creates accounts with published passwords "
                "(admin / admin123). Use createsuperuser for real staff accounts."
            )
        with transaction.atomic():
            for module in (products.demo, accounts.demo, loans.demo, messaging.demo):
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("demo data ready"))

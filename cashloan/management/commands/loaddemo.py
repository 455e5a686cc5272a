"""``python manage.py loaddemo``: idempotent demo data for a first run."""

from django.core.management.base import BaseCommand
from django.db import transaction

import accounts.demo
import messaging.demo
import products.demo


class Command(BaseCommand):
    help = "Creates demo products, a system message, app versions, H5 texts and demo logins (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for module in (products.demo, accounts.demo, messaging.demo):
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("demo data ready"))

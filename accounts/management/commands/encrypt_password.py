"""``python manage.py encrypt_password TEXT``: what the app sends for a password field."""

from django.core.management.base import BaseCommand

from accounts.crypto import encrypt_password


class Command(BaseCommand):
    help = "Prints TEXT encrypted as the app sends passwords (DES/CBC under APP_KEY, base64), for call_api."

    def add_arguments(self, parser):
        parser.add_argument("text")

    def handle(self, *args, text, **options):
        self.stdout.write(encrypt_password(text))

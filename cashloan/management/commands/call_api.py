"""``python manage.py call_api PATH '{"field": "value"}'``: sign with APP_KEY, post, print, verify.

The same as running ``cashloan/api/client.py`` as a file, with the key from the settings.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cashloan.api.client import UsageError, add_call_arguments, call


class Command(BaseCommand):
    help = "Signs a JSON body with APP_KEY, posts it to a running server and prints the envelope."

    def add_arguments(self, parser):
        add_call_arguments(parser)

    def handle(self, *args, path, body, base_url, session, gzip, **options):
        try:
            call(base_url, path, body, app_key=settings.APP_KEY, session_id=session, gzip_body=gzip, write=self.stdout.write)
        except UsageError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"could not reach {base_url}: {error}") from None

"""``python manage.py call_api PATH '{"field": "value"}'``: sign, post, print, verify."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cashloan.api.client import SignedApiClient


class Command(BaseCommand):
    help = "Signs a JSON body with APP_KEY, posts it to a running server and prints the envelope."

    def add_arguments(self, parser):
        parser.add_argument("path", help="e.g. /openCommonApi/getLoanProductList")
        parser.add_argument("body", nargs="?", default="{}", help="JSON object, without timestamp/nonce/sign")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--session", default=None, help="session id from /security/login")
        parser.add_argument("--gzip", action="store_true", help="send the body gzip-compressed")

    def handle(self, *args, path, body, base_url, session, gzip, **options):
        try:
            payload = json.loads(body)
        except ValueError as error:
            raise CommandError(f"body is not JSON: {error}") from None
        if not isinstance(payload, dict):
            raise CommandError("body must be a JSON object")
        client = SignedApiClient(base_url, settings.APP_KEY, session_id=session)
        try:
            reply = client.post(path if path.startswith("/") else "/" + path, payload, gzip_body=gzip)
        except OSError as error:
            raise CommandError(f"could not reach {base_url}: {error}") from None
        self.stdout.write(f"HTTP {reply.status}")
        self.stdout.write(json.dumps(reply.body, ensure_ascii=False, indent=2))
        verdict = "verifies" if reply.signature_ok else "DOES NOT verify"
        self.stdout.write(f"response signature {verdict}")
        if client.session_id and client.session_id != session:
            self.stdout.write(f"session: {client.session_id}")

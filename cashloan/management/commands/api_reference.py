"""``python manage.py api_reference [--write]``: the endpoint catalogue of docs/API.md."""

from django.core.management.base import BaseCommand

from cashloan.api import reference


class Command(BaseCommand):
    help = "Prints the endpoint catalogue of docs/API.md (from the OpenAPI description); --write updates the file."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="rewrite the catalogue section of docs/API.md")

    def handle(self, *args, write, **options):
        if write:
            reference.write_catalogue(reference.document_path())
            self.stdout.write(f"updated {reference.document_path()}")
        else:
            self.stdout.write(reference.catalogue())

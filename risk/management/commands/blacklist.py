"""``python manage.py blacklist add|remove`` (CONTRACT §15): the identity blacklist from the shell.

    blacklist add (--id-number X | --mobile M | --device T) --reason "…" [--expires YYYY-MM-DD]
    blacklist remove (--id-number X | --mobile M | --device T)

Exit 0 when done (adding a listed identity replaces its reason and expiry; removing one not
listed says so and changes nothing); a bad value exits 1 with the reason.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from risk import blacklist
from risk.models import BlacklistEntry

Kind = BlacklistEntry.Kind


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--expires {text!r}：须为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Adds an ID number, mobile or device token to the blacklist, or removes it."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="list an identity")
        remove = actions.add_parser("remove", help="remove a listed identity")
        for sub in (add, remove):
            which = sub.add_mutually_exclusive_group(required=True)
            which.add_argument("--id-number", dest=Kind.ID_NUMBER.value)
            which.add_argument("--mobile", dest=Kind.MOBILE.value)
            which.add_argument("--device", dest=Kind.DEVICE.value)
        add.add_argument("--reason", required=True)
        add.add_argument("--expires", type=_date, default=None)

    def handle(self, *args, action: str, **options):
        kind = next(kind for kind in Kind.values if options.get(kind))
        raw = options[kind]
        try:
            if action == "add":
                entry, created = blacklist.add_entry(kind, raw, reason=options["reason"], expires_on=options["expires"])
                verb = "已加入黑名单" if created else "已在黑名单中，已更新原因与有效期"
                self.stdout.write(f"{entry}：{verb}（命令行操作，无操作员）")
            else:
                removed = blacklist.remove_identity(kind, raw, reason="命令行移除")
                shown = blacklist.identity(kind, raw).shown
                self.stdout.write(f"{Kind(kind).label} {shown}：{'已移出黑名单' if removed else '不在黑名单中，未改动'}")
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None

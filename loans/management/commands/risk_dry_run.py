"""``python manage.py risk_dry_run [--rules 3,5,8] [--last 100] [--json]``: a draft rule set over
the last N applications (CONTRACT §12); changes nothing."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loans.decision_admin import OUTCOME_LABELS
from loans.decisions import dry_run
from risk.kinds import Outcome, seen_text
from risk.models import RiskRule


def rule_ids(text: str) -> list[int]:
    try:
        return sorted({int(item) for item in text.split(",") if item.strip()})
    except ValueError:
        raise CommandError(f"--rules: rule ids separated by commas, not {text!r}") from None


class Command(BaseCommand):
    help = "试运行一组风控规则（草稿）：重新判定最近 N 笔借款申请，列出会改变的决策。不改变任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("--rules", type=rule_ids, help="the draft set: rule ids, enabled or not (default: the enabled rules)")
        parser.add_argument("--last", type=int, default=100, help="how many of the latest applications (default 100)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        if not 1 <= options["last"] <= 100_000:
            raise CommandError("--last must be between 1 and 100000")
        rules = RiskRule.objects.order_by("order", "id")
        if options["rules"] is None:
            rules = rules.filter(enabled=True)
        else:
            rules = rules.filter(pk__in=options["rules"])
            missing = sorted(set(options["rules"]) - set(rules.values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"no such rules: {', '.join(map(str, missing))}")
        result = dry_run([rule.spec() for rule in rules], options["last"])
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(result), ensure_ascii=False))
        else:
            self._print(result)

    def _print(self, result) -> None:
        self.stdout.write(f"规则：{'、'.join(rule.name for rule in result.rules) or '（无）'}")
        counts = "，".join(f"{OUTCOME_LABELS[o]} {result.counts.get(o, 0)}" for o in (Outcome.APPROVE, Outcome.REVIEW, Outcome.REJECT))
        self.stdout.write(f"最近 {result.applications} 笔申请：{counts}")
        self.stdout.write(f"决策会改变的申请 {len(result.changed)} 笔")
        for change in result.changed:
            hits = "；".join(f"{hit.name}（{seen_text(hit.seen, hit.error)}）" for hit in change.hits)
            when = timezone.localtime(change.applied_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{change.code}  {when}  {OUTCOME_LABELS[change.before]} → {OUTCOME_LABELS[change.after]}  {hits}")


def _as_json(result) -> dict:
    return {
        "rules": [rule.id for rule in result.rules],
        "applications": result.applications,
        "counts": {outcome: result.counts.get(outcome, 0) for outcome in (Outcome.APPROVE, Outcome.REVIEW, Outcome.REJECT)},
        "rebuilt": result.rebuilt,
        "changed": [
            {"loan": c.code, "before": c.before, "after": c.after, "rules": [hit.rule for hit in c.hits]} for c in result.changed
        ],
    }

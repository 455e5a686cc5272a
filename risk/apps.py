from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = "风控"

    def ready(self):
        from .models import RiskRule
        from .selectors import forget_enabled_rules

        # Any write, the services' and a data migration's or a shell's alike, refreshes the cache.
        for signal in (post_save, post_delete):
            signal.connect(lambda **kwargs: forget_enabled_rules(), sender=RiskRule, weak=False, dispatch_uid=f"risk.rules.{signal}")

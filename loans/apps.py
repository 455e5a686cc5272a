from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "借款"

    def ready(self) -> None:
        from products import checks

        from .cost_cap import assess_product

        # The product form refuses a product above ANNUAL_COST_CAP and records its worst cost.
        checks.register("annualized_cost", assess_product)

        from .reject_reasons import ensure_reasons

        post_migrate.connect(ensure_reasons, sender=self, dispatch_uid="loans.ensure_reasons")

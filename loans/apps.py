from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "借款"

    def ready(self) -> None:
        from products import checks

        from .cost_cap import assess_product

        # The product form refuses a product above ANNUAL_COST_CAP and records its worst cost.
        checks.register("annualized_cost", assess_product)

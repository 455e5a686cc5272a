from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "recovery"
    verbose_name = "催收"

    def ready(self) -> None:
        from loans.notices import register_dunning

        from . import receivers  # noqa: F401  (connects to loans' signals)
        from .dunning import dunning_text

        # For a loan in collection the daily notice job sends the bucket's dunning text.
        register_dunning("recovery", dunning_text)

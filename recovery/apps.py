from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "recovery"
    verbose_name = "催收"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects to loans' signals)

from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = "贷款产品"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the cache invalidation)

"""Any saved or deleted product invalidates the cached catalogue (``products.selectors``).

``QuerySet.update()`` sends no signal: code that updates products in bulk must call
``selectors.invalidate_catalogue()`` itself (the admin's actions do).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Product
from .selectors import invalidate_catalogue


@receiver(post_save, sender=Product, dispatch_uid="products.invalidate_on_save")
@receiver(post_delete, sender=Product, dispatch_uid="products.invalidate_on_delete")
def _invalidate_catalogue(sender, **kwargs) -> None:
    invalidate_catalogue()

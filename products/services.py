"""Writes of the catalogue that are not the admin's product form: taking a product on or off sale.

Only superusers change the catalogue (``products.admin``); the admin action that calls this
logs each change with its reason (CONTRACT §11).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from . import checks, rules
from .models import Product


def set_on_sale(product: Product, on_sale: bool) -> Product:
    """Put ``product`` on sale or take it off; ValidationError (Chinese) when refused.

    A product goes on sale only when its configuration is consistent (``rules.product_errors``)
    and passes every registered check (``products.checks``: the cost cap as it is set now, not
    as it was when the product was saved); the check's figures are recorded again. The save
    invalidates the cached catalogue (``products.signals``).
    """
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        if product.on_sale == on_sale:
            raise ValidationError("已在售" if on_sale else "已下架")
        updated = ["on_sale", "updated_at"]
        if on_sale:
            updated += _check_before_sale(product)
        product.on_sale = on_sale
        product.save(update_fields=updated)
    return product


def _check_before_sale(product: Product) -> list[str]:
    """Refuse a product that cannot be sold; record the checks' figures and name their fields."""
    if rules.product_errors(product):
        raise ValidationError("产品配置有误，请先修改后再上架")
    assessment = checks.assess(product, rules.limits_of(product))
    if assessment.errors:
        raise ValidationError(assessment.errors)
    for name, value in assessment.figures.items():
        setattr(product, name, value)
    return list(assessment.figures)

"""Money rounding (half-up to cents) and the API's money and rate strings, for every app.

The amortisation maths (``loans/amortization.py``) rounds the same way with its own
two-line ``quantize_money``, because it imports nothing but the standard library (and this
package loads Celery); a test holds the two equal.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quantize_money(value) -> Decimal:
    """Round half-up to cents (explicitly; Decimal's default is banker's rounding)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(value) -> str:
    """``Decimal("7")`` → ``"7.00"``: amounts leave the API as strings with two decimals."""
    if value is None:
        return ""
    return f"{quantize_money(value):.2f}"


def rate_str(value) -> str:
    """Rates leave the API with four decimals, as the seed's samples (``"0.3600"``)."""
    if value is None:
        return ""
    return f"{Decimal(value).quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP):.4f}"


def percent_str(value) -> str:
    """A rate as staff read it: ``Decimal("0.3600")`` → ``"36%"``, ``"0.3626"`` → ``"36.26%"``
    (at most two decimals, half-up, trailing zeros dropped)."""
    if value is None or value == "":
        return ""
    figure = (Decimal(value) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{figure:f}".rstrip("0").rstrip(".") if "." in f"{figure:f}" else f"{figure:f}"
    return f"{text}%"

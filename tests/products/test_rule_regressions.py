"""A product's comma lists take ASCII digits only (found next to the fuzz run's §34 bug)."""

import pytest

from products import rules


@pytest.mark.parametrize("text", ["²", "7,¹⁴", "①"])
def test_superscript_digits_are_a_rule_error_not_a_crash(text):
    """``"²".isdigit()`` is true but ``int("²")`` raises ValueError: the admin form would answer
    a 500 instead of naming the field, and a product saved otherwise would break §20/§21."""
    with pytest.raises(rules.RuleError):
        rules.parse_counts(text)

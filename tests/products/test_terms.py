"""The loan-term vocabulary (``products.terms``): one definition of each word, read everywhere."""

from loans.models import LoanApplication
from products import rules
from products.terms import IntervalUnit, RepayType, TermUnit


def test_the_seed_dictionaries():
    """Seed §21 ``termUnitData``, ``repayTermUnitData``, ``repayTypeData``."""
    assert TermUnit.dictionary() == {"1": "日", "2": "月"}
    assert IntervalUnit.dictionary() == {"1": "日", "2": "月", "3": "季", "4": "年"}
    assert RepayType.dictionary() == {"1": "一次性还本付息", "2": "按期还息到期还本", "3": "等额本息", "4": "等本等息"}
    assert RepayType.legend() == "1：一次性还本付息 2：按期还息到期还本 3：等额本息 4：等本等息"


def test_the_product_rules_and_the_loan_model_use_it():
    assert (rules.TERM_UNIT_DATA, rules.REPAY_TERM_UNIT_DATA, rules.REPAY_TYPE_DATA) == (
        TermUnit.dictionary(), IntervalUnit.dictionary(), RepayType.dictionary(),
    )
    assert (rules.TERM_UNITS, rules.INTERVAL_UNITS, rules.REPAY_TYPES) == ({1, 2}, {1, 2, 3, 4}, {1, 2, 3, 4})
    fields = {name: LoanApplication._meta.get_field(name).choices for name in ("term_unit", "repay_term_unit", "repay_type")}
    assert fields == {
        "term_unit": TermUnit.choices(),
        "repay_term_unit": IntervalUnit.choices(),
        "repay_type": RepayType.choices(),
    }
    assert TermUnit.choices() == [(1, "日"), (2, "月")]


def test_a_code_reads_as_its_word():
    assert TermUnit(2) is TermUnit.MONTH and TermUnit.MONTH.label == "月" and TermUnit.MONTH == 2
    assert IntervalUnit(3).label == "季"

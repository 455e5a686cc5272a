"""Helpers shared by the catalogue, quote and application tests."""

import factory

from tests.factories import ProductFactory, UserFactory, VerifiedUserFactory

QUOTE_PATH = "/appCommonApi/getLoanApplyConfirmInfo"
APPLY_PATH = "/appCommonApi/loanProductApply"


def quote_payload(product, **overrides) -> dict:
    """A §22 request the product accepts (its defaults), with ``overrides``."""
    payload = {
        "productId": str(product.id),
        "amount": "500.00",
        "interestRate": "0.36",
        "termCount": "14",
        "termUnit": "1",
        "repayTermCount": "1",
        "repayTermUnit": "1",
        "repayType": "1",
    }
    payload.update(overrides)
    return payload


def instalment_payload(product, **overrides) -> dict:
    """10000 over 12 months at 12 %, monthly equal instalments (seed §22 sample's shape)."""
    return quote_payload(
        product,
        **{
            "amount": "10000.00",
            "interestRate": "0.12",
            "termCount": "12",
            "termUnit": "2",
            "repayTermCount": "1",
            "repayTermUnit": "2",
            "repayType": "3",
            **overrides,
        },
    )


def apply_payload(product, **overrides) -> dict:
    """A complete §23 request: the quote's fields plus the applicant's."""
    base = quote_payload(product)
    base.update(
        {
            "longitude": "121.4737",
            "latitude": "31.2304",
            "orderId": "201701012236523",
            "purpose": "21",
            "otherChannels": "01",
            "phonebookList": [
                {"contactName": "王小明", "contactPhone": "13800000001"},
                {"contactName": "李雷", "contactPhone": "13800000002"},
            ],
            "remark": "周转",
        }
    )
    base.update(overrides)
    return base


def instalment_product(**overrides):
    """The demo's "分期贷": 1000–50000, 3/6/12 months, monthly, 12–24 %, types 1–4, fee 1 %."""
    fields = dict(instalments=True, repay_term_counts="1")
    fields.update(overrides)
    return ProductFactory(**fields)


UNHASHED = factory.Transformer.Force("!")  # an unusable password: no Argon2 hashing per test


def customer(**fields):
    """A customer who may not apply yet (no verifications); log in with ``client.force_login``."""
    return UserFactory(password=UNHASHED, **fields)


def verified_customer(**fields):
    """A customer who passed the four verification steps."""
    return VerifiedUserFactory(password=UNHASHED, **fields)


"""Demo data for a first run (``manage.py loaddemo``); idempotent by product code.

An existing product is left as staff edited it; only missing ones are created.
"""

from decimal import Decimal

from . import checks, rules
from .models import LimitType, Product

D = Decimal
PENALTY_RATE = D("0.5400")

# Day-term products repay in one payment (type 1): the interval is carried but ignored.
_ONE_PAYMENT_BY_DAYS = dict(
    interest_rate_limit_type=LimitType.FIXED,
    interest_rates="0.36",
    default_interest_rate=D("0.3600"),
    term_units="1",
    days_limit_type=LimitType.FIXED,
    months_limit_type=LimitType.FIXED,
    repay_types="1",
    repay_term_units="1",
    default_repay_term_count=1,
    default_repay_term_unit=1,
    service_fee_rate=D("0"),
    period_fee=D("0"),
    penalty_rate=PENALTY_RATE,
)

DEMO_PRODUCTS = [
    dict(
        code="CASH",
        name="现金贷",
        display_order=1,
        detail_description="固定借款 2000 元;借款期限 7 天;到期一次性还本付息;年化利率 36%",
        amount_limit_type=LimitType.FIXED,
        single_amounts="2000",
        single_default_amount=D("2000.00"),
        single_days="7",
        single_default_days=7,
        **_ONE_PAYMENT_BY_DAYS,
    ),
    dict(
        code="NEWCASH",
        name="新现金贷",
        display_order=2,
        detail_description="借款 500–5000 元;借款期限 7 天或 14 天;到期一次性还本付息;年化利率 36%",
        amount_limit_type=LimitType.RANGE,
        single_min_amount=D("500.00"),
        single_max_amount=D("5000.00"),
        single_default_amount=D("2000.00"),
        single_days="7,14",
        single_default_days=14,
        **_ONE_PAYMENT_BY_DAYS,
    ),
    dict(
        code="STAFF",
        name="员工贷",
        display_order=3,
        detail_description="员工专享;固定借款 500 元;借款期限 7 天或 14 天;到期一次性还本付息",
        amount_limit_type=LimitType.FIXED,
        single_amounts="500",
        single_default_amount=D("500.00"),
        single_days="7,14",
        single_default_days=7,
        **_ONE_PAYMENT_BY_DAYS,
    ),
    dict(
        code="INSTALMENT",
        name="分期贷",
        display_order=4,
        detail_description="借款 1000–50000 元;分 3、6 或 12 个月按月还款;年化利率 12%–24%;放款时收取 1% 服务费",
        amount_limit_type=LimitType.RANGE,
        single_min_amount=D("1000.00"),
        single_max_amount=D("50000.00"),
        single_default_amount=D("10000.00"),
        interest_rate_limit_type=LimitType.RANGE,
        min_interest_rate=D("0.1200"),
        max_interest_rate=D("0.2400"),
        default_interest_rate=D("0.1200"),
        term_units="2",
        days_limit_type=LimitType.FIXED,
        months_limit_type=LimitType.FIXED,
        single_months="3,6,12",
        single_default_months=6,
        repay_types="1,2,3,4",
        repay_term_units="2",
        repay_term_counts="1",
        default_repay_term_count=1,
        default_repay_term_unit=2,
        service_fee_rate=D("0.0100"),
        period_fee=D("0"),
        penalty_rate=PENALTY_RATE,
    ),
]


def load(stdout) -> None:
    """Create the demo products that are missing (by code), with the figures the admin records."""
    for fields in DEMO_PRODUCTS:
        fields = dict(fields)
        code = fields.pop("code")
        product = Product(code=code, **fields)
        fields.update(checks.assess(product, rules.limits_of(product)).figures)
        _, created = Product.objects.get_or_create(code=code, defaults=fields)
        stdout.write(f"产品 {fields['name']}（{code}）：{'已创建' if created else '已存在，未改动'}")

"""The product admin's worst-annualised-cost search, exhaustive against pruned.

    DEBUG=1 .venv/bin/python bench/cost_cap_search.py

For a few products (unsaved; no database), from the demo's one-payment product to the broadest
the admin accepts (every day term from 1 to 3650 days, repayment types 1, 2 and 4, any day
interval), prints how many combinations there are, the time of each search and whether both
found the same worst combination.
"""

import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cashloan.settings")

import django  # noqa: E402

django.setup()

from loans.cost_cap import combinations, worst_cost  # noqa: E402
from products import rules  # noqa: E402
from tests.factories import ProductFactory  # noqa: E402

DAY_RANGE = dict(days_limit_type=0, single_min_days=1, single_days="", single_default_days=7, repay_term_units="1", repay_term_counts="")
PRODUCTS = {
    "demo one payment (7, 14 days)": ProductFactory.build(),
    "instalments (3, 6, 12 months, types 1-4)": ProductFactory.build(instalments=True),
    "days 1-365, types 1, 2, 4, fee 1 % + 1.00 a period": ProductFactory.build(
        **DAY_RANGE, single_max_days=365, repay_types="1,2,4", service_fee_rate=Decimal("0.0100"), period_fee=Decimal("1.00"),
    ),
    "broadest: days 1-3650, types 1, 2, 4, any day interval": ProductFactory.build(
        **DAY_RANGE, single_max_days=3650, repay_types="1,2,4", service_fee_rate=Decimal("0.0100"),
    ),
}


def timed(product, **options):
    started = time.perf_counter()
    worst = worst_cost(product, **options)
    return worst, time.perf_counter() - started


def main() -> None:
    print(f"{'product':56} {'combinations':>12} {'exhaustive s':>12} {'pruned s':>9} {'same worst':>10}")
    for name, product in PRODUCTS.items():
        count = sum(1 for _ in combinations(rules.limits_of(product)))
        exhaustive, exhaustive_s = timed(product, exhaustive=True)
        pruned, pruned_s = timed(product)
        same = exhaustive == pruned
        print(f"{name:56} {count:>12} {exhaustive_s:>12.3f} {pruned_s:>9.3f} {'yes' if same else 'NO':>10}")
        print(f"    worst: {pruned.describe()}")


if __name__ == "__main__":
    main()

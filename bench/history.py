"""A loan history for the benchmark's customer, so the logged-in reads have rows to read.

    python manage.py shell -c "import bench.history; bench.history.load()"

The demo customer gets what a regular borrower has after a year: one 12-month loan paid off
on schedule and one 12-month loan with 3 of its periods paid, each application carrying a
phone book of 300 contacts (as the app uploads it). Everything goes through the services
(apply, approve, disburse, repay), dated in the past.
"""

from datetime import date, timedelta

from accounts.demo import DEMO_MOBILE, STAFF_USERNAME
from accounts.models import User
from loans import lifecycle
from loans.applications import ApplicantDetails, apply_for_loan
from loans.models import RepaymentPeriod
from loans.repayments import repay
from products.models import Product

INSTALMENT_PRODUCT = "分期贷"
PHONEBOOK = [{"contactName": f"联系人{n:03d}", "contactPhone": f"139{n:08d}"} for n in range(300)]


def load() -> None:
    customer = User.objects.get(mobile=DEMO_MOBILE)
    officer = User.objects.get(username=STAFF_USERNAME)
    today = lifecycle.local_today()
    _loan(customer, officer, amount="10000.00", disbursed_on=today - timedelta(days=400), periods_paid=12)
    _loan(customer, officer, amount="6000.00", disbursed_on=today - timedelta(days=100), periods_paid=3)


def _loan(customer: User, officer: User, *, amount: str, disbursed_on: date, periods_paid: int) -> None:
    product = Product.objects.get(name=INSTALMENT_PRODUCT)
    terms = {
        "amount": amount, "interestRate": "0.12", "termCount": "12", "termUnit": "2",
        "repayTermCount": "1", "repayTermUnit": "2", "repayType": "2",
    }
    details = ApplicantDetails(
        longitude="116.397128", latitude="39.916527", operator_order_id="bench",
        purpose="15", other_channels="01", phonebook=PHONEBOOK,
    )
    application = apply_for_loan(user=customer, product_id=product.pk, terms=terms, details=details, today=disbursed_on)
    lifecycle.approve(application, officer)
    lifecycle.disburse(application, None, on=disbursed_on)  # paid out by the system: four eyes hold
    periods = RepaymentPeriod.objects.filter(application=application).order_by("number")[:periods_paid]
    for period in periods:
        repay(customer, str(period.pk), "current", today=period.due_date)

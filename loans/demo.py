"""Demo loans for a first run (``manage.py loaddemo``), so each role's workspace has work in it;
idempotent (a demo borrower who has a loan is left as they are).

Three borrowers on 分期贷 (12 equal monthly instalments, nothing paid) disbursed 40, 75 and 130 days ago,
brought up to today by the daily job: overdue in M1, M2 and M4+, each with a collection case
assigned round-robin to the demo collectors; and one application waiting for an officer. The
demo customer of the app (``accounts.demo``) is left free to apply.
"""

from datetime import timedelta

from accounts.demo import STAFF_USERNAME, demo_customer
from accounts.models import User
from products.models import Product

from . import lifecycle
from .applications import ApplicantDetails, apply_for_loan
from .overdue import mark_loan_overdue

PRODUCT = "分期贷"
TERMS = {  # 3000.00 over 12 months in equal instalments (等额本息)
    "amount": "3000.00", "interestRate": "0.12", "termCount": "12", "termUnit": "2",
    "repayTermCount": "1", "repayTermUnit": "2", "repayType": "3",
}
DETAILS = ApplicantDetails(
    longitude="116.397128", latitude="39.916527", operator_order_id="demo", purpose="15", other_channels="01",
    phonebook=[{"contactName": f"联系人{n:02d}", "contactPhone": f"139{n:08d}"} for n in range(20)],
)
# mobile, name, ID number (GB 11643 checksum), card (Luhn), days since disbursement (None: waiting)
BORROWERS = (
    ("13800000001", "王一", "110105199003071239", "6217000730005200544", 40),
    ("13800000002", "李二", "440305198806152342", "6217000730005201542", 75),
    ("13800000003", "赵三", "310115199209213458", "6217000730005202540", 130),
    ("13800000004", "钱四", "110105199003071212", "6217000730005203548", None),
)


def load(stdout) -> None:
    officer = User.objects.get(username=STAFF_USERNAME)
    product = Product.objects.get(name=PRODUCT)
    today = lifecycle.local_today()
    made = 0
    for mobile, name, id_number, card, days_ago in BORROWERS:
        borrower = demo_customer(mobile, name, id_number, card)
        if borrower.loans.exists():
            continue
        applied_on = today - timedelta(days=days_ago or 0)
        application = apply_for_loan(user=borrower, product_id=product.pk, terms=TERMS, details=DETAILS, today=applied_on)
        made += 1
        if days_ago is None:
            continue
        lifecycle.approve(application, officer)
        lifecycle.disburse(application, None, on=applied_on)
        mark_loan_overdue(application.pk, today)
    if made:
        stdout.write(f"演示借款：{made} 笔（3 笔逾期在催，1 笔待审核）\n")

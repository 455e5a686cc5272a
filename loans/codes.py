"""Response codes of the loans endpoints (seed §22–23, §26–29, §36; CONTRACT §4).

The code, not the message, is the contract with the app.
"""

# Application (§23; CONTRACT §4). The quote's codes (§22.4, 20004xxx) name product rules and
# live with them in products/codes.py.
APPLIED = "20005000"
APPLY_FAILED = "20005001"
NOT_VERIFIED = "20005002"
BLOCKED = "20005003"  # blacklisted or risk-flagged
UNFINISHED_LOAN = "20005004"
ABOVE_CREDIT = "20005005"

# Servicing: reads (§26–29) and repayment (§36)
REPAY_INFO_OK = "0000"
REPAYMENT_OK = "0000"
REPAYMENT_PLAN_NOT_FOUND = "20006001"  # plan not found or not yours (CONTRACT §4)
NOTHING_DUE = "20006002"  # nothing due / already paid
PAYMENT_FAILED = "20006003"  # the payment provider refused or failed
EARLIER_PERIOD_UNPAID = "20006004"  # current names a period while an earlier one is unpaid (CONTRACT §4, §8)

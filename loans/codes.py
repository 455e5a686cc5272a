"""Response codes of the loans endpoints (seed §22–23, §26–29, §36; CONTRACT §4).

The code, not the message, is the contract with the app.
"""

# Servicing: reads (§26–29) and repayment (§36)
REPAY_INFO_OK = "0000"
REPAYMENT_OK = "0000"
REPAYMENT_PLAN_NOT_FOUND = "20006001"  # plan not found or not yours (CONTRACT §4)
NOTHING_DUE = "20006002"  # nothing due / already paid
PAYMENT_FAILED = "20006003"  # the payment provider refused or failed

"""What a loan officer may do in the back office (the lead creates the group from this list)."""

REVIEW_PERMISSION = "loans.review_loanapplication"
WRITE_OFF_PERMISSION = "loans.write_off_loanapplication"

# Finance finds a loan in the list and writes it off (the write-off form shows its days past due).
FINANCE_LOAN_PERMISSIONS = ["loans.view_loanapplication", WRITE_OFF_PERMISSION]

LOAN_OFFICER_PERMISSIONS = [
    "loans.view_loanapplication",
    "loans.view_repaymentperiod",
    "loans.view_repayment",
    "loans.view_statuschange",
    REVIEW_PERMISSION,
    "products.view_product",
    "accounts.view_user",
]

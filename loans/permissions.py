"""What a loan officer may do in the back office (the lead creates the group from this list)."""

REVIEW_PERMISSION = "loans.review_loanapplication"
VIEW_PERMISSION = "loans.view_loanapplication"  # reading a loan, its contract page included
WRITE_OFF_PERMISSION = "loans.write_off_loanapplication"

# Finance finds a loan in the list and writes it off (the write-off form shows its days past due).
FINANCE_LOAN_PERMISSIONS = [VIEW_PERMISSION, WRITE_OFF_PERMISSION]

LOAN_OFFICER_PERMISSIONS = [
    VIEW_PERMISSION,
    "loans.view_repaymentperiod",
    "loans.view_repayment",
    "loans.view_statuschange",
    REVIEW_PERMISSION,
    "products.view_product",
    "accounts.view_customer",
    "accounts.reveal_customer",
]

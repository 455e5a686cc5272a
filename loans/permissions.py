"""What a loan officer may do in the back office (the lead creates the group from this list)."""

REVIEW_PERMISSION = "loans.review_loanapplication"
VIEW_PERMISSION = "loans.view_loanapplication"  # reading a loan, its contract page included
WRITE_OFF_PERMISSION = "loans.write_off_loanapplication"

# Finance finds a loan in the list and writes it off (the write-off form shows its days past due),
# records and confirms offline repayments, proposes and approves reversals, proposes waivers
# (CONTRACT §15; the services refuse the proposer as the second person).
FINANCE_LOAN_PERMISSIONS = [
    VIEW_PERMISSION,
    WRITE_OFF_PERMISSION,
    "loans.view_repayment",
    "loans.view_offlinerepayment",
    "loans.add_offlinerepayment",
    "loans.confirm_offlinerepayment",
    "loans.view_reversal",
    "loans.add_reversal",
    "loans.approve_reversal",
    "loans.view_waiver",
    "loans.add_waiver",
]

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

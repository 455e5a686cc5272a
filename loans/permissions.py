"""What loan officers and finance may do with loans in the back office (``cashloan.roles`` makes
the groups from these lists). CONTRACT §11: officers claim, approve and reject; finance
disburses; neither does the other's work."""

REVIEW_PERMISSION = "loans.review_loanapplication"  # claim, release, approve, reject
DISBURSE_PERMISSION = "loans.disburse_loanapplication"
VIEW_PERMISSION = "loans.view_loanapplication"  # reading a loan, its contract page included
WRITE_OFF_PERMISSION = "loans.write_off_loanapplication"
PHONEBOOK_PERMISSION = "accounts.reveal_customer"  # the full phone book, like the full numbers: each opening logged

# Finance finds an approved loan and disburses it (after a confirmation; never one they approved),
# writes an old one off (the write-off form shows its days past due), records and confirms
# offline repayments, proposes and approves reversals, proposes waivers (CONTRACT §15; the
# services refuse the proposer as the second person); it reads the history and the payout attempts.
FINANCE_LOAN_PERMISSIONS = [
    VIEW_PERMISSION,
    DISBURSE_PERMISSION,
    WRITE_OFF_PERMISSION,
    "loans.view_statuschange",
    "loans.view_disbursement",
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
    "loans.view_disbursement",
    REVIEW_PERMISSION,
    # The list of reject reasons is the officers' own: they add and switch off reasons.
    "loans.view_rejectreason",
    "loans.add_rejectreason",
    "loans.change_rejectreason",
    "products.view_product",
    "accounts.view_customer",
    "accounts.reveal_customer",
]

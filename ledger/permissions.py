"""What finance (财务) needs of the books: read them and export them (CONTRACT §11)."""

BOOKS_PERMISSIONS: list[str] = [
    "ledger.view_journalentry",
    "ledger.view_trialbalance",
    "ledger.view_loanstatement",
    "ledger.view_reconciliation",
    "ledger.export_journalentry",
    "accounts.view_customer",  # the customers behind the loans (and their export)
]

"""What the risk manager (风控) may do in the back office (CONTRACT §11): edit and try out the
rules, set credit limits with a reason, and read what they judge by."""

DRY_RUN_PERMISSION = "risk.dry_run_riskrule"

RISK_MANAGER_PERMISSIONS = [
    "risk.view_riskrule",
    "risk.add_riskrule",
    "risk.change_riskrule",
    DRY_RUN_PERMISSION,
    "loans.view_loanapplication",  # the decisions the rules took, and the dry run's comparison
    "accounts.view_customer",  # the customer page, where the flags and the credit limit are set
    "accounts.reveal_customer",
    "accounts.change_customer_flags",
    "accounts.set_credit_limit",
    "accounts.view_creditlimitchange",
    # the identity blacklist (CONTRACT §15): add, remove (a change), import, and read the hits
    "risk.view_blacklistentry",
    "risk.add_blacklistentry",
    "risk.change_blacklistentry",
    "risk.import_blacklistentry",
    "risk.view_blacklisthit",
    # waivers (减免) finance proposes: approved or rejected here (a superuser may too)
    "loans.view_waiver",
    "loans.approve_waiver",
]

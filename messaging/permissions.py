"""Permissions of the "operator" (运营) group, as ``app_label.codename``; the lead creates the group.

Operators run content and customer contact: system and customer messages, H5 pages, app
versions, the feedback inbox (read), and the SMS log (read and re-send). They do not see
loans, repayments or the dashboard's figures.
"""

OPERATOR_PERMISSIONS: list[str] = [
    "messaging.view_systemmessage",
    "messaging.add_systemmessage",
    "messaging.change_systemmessage",
    "messaging.delete_systemmessage",
    "messaging.view_customermessage",
    "messaging.add_customermessage",
    "messaging.view_h5page",
    "messaging.add_h5page",
    "messaging.change_h5page",
    "accounts.view_appversion",
    "accounts.add_appversion",
    "accounts.change_appversion",
    "accounts.delete_appversion",
    "accounts.view_feedback",
    "accounts.handle_feedback",
    "accounts.view_customer",  # the customer page a message or a suggestion links to
    "messaging.view_smsmessage",
    "messaging.resend_smsmessage",
]

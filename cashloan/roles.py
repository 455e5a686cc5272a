"""Staff roles of the back office, kept as Django groups in step with the code.

After every ``migrate`` the groups below are created or corrected to hold exactly these
permissions; staff are then given a group in the admin (用户 → 组). A superuser needs none.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from ledger.permissions import BOOKS_PERMISSIONS
from loans.permissions import FINANCE_LOAN_PERMISSIONS, LOAN_OFFICER_PERMISSIONS
from messaging.permissions import OPERATOR_PERMISSIONS
from recovery.permissions import COLLECTIONS_LEAD_PERMISSIONS, COLLECTOR_PERMISSIONS
from risk.permissions import RISK_MANAGER_PERMISSIONS

# A loan officer reviews loans (finance disburses them); to judge an application they read the
# customer's verification data shown inline on the user page.
CUSTOMER_FILE_PERMISSIONS = [
    "accounts.view_identity",
    "accounts.view_bankcard",
    "accounts.view_personalinfo",
    "accounts.view_contact",
    "accounts.view_device",
    "messaging.view_customermessage",
]

COLLECTOR = "催收专员"
COLLECTIONS_LEAD = "催收主管"

ROLES: dict[str, list[str]] = {
    "信贷专员": LOAN_OFFICER_PERMISSIONS + CUSTOMER_FILE_PERMISSIONS,
    "运营": OPERATOR_PERMISSIONS,
    "风控": RISK_MANAGER_PERMISSIONS,
    # Reads and exports the books, writes loans off (more finance work comes with later issues).
    "财务": BOOKS_PERMISSIONS + FINANCE_LOAN_PERMISSIONS,
    # Collections (CONTRACT §13): a collector sees only their own cases (``recovery.admin``).
    COLLECTOR: COLLECTOR_PERMISSIONS,
    COLLECTIONS_LEAD: COLLECTIONS_LEAD_PERMISSIONS,
}


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def sync_roles(app_config=None, **kwargs) -> None:
    """post_migrate handler: every role group holds exactly its permissions.

    post_migrate is sent once per app; permissions of an app exist only after its own
    turn, so the groups are set on the last app's.
    """
    if app_config is not None and app_config is not list(apps.get_app_configs())[-1]:
        return
    for name, permission_names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(permission_names))

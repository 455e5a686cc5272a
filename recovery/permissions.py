"""What the two collections roles may do in the back office (CONTRACT §11, §13).

A collector (催收专员) works only the cases assigned to them (row-level, in ``recovery.admin``):
the case list and page, the contact log. The collections lead (催收主管) reads every case,
assigns and reassigns, edits the dunning texts and the collectors' buckets, reads the reports.
Neither reads the phone book or full ID and card numbers.
"""

VIEW_CASES = "recovery.view_collectioncase"
LOG_CONTACT = "recovery.add_contactlog"
ASSIGN = "recovery.assign_collectioncase"
REPORTS = "recovery.view_collectionreport"

COLLECTOR_PERMISSIONS: list[str] = [
    VIEW_CASES,
    "recovery.view_contactlog",
    LOG_CONTACT,
]

COLLECTIONS_LEAD_PERMISSIONS: list[str] = [
    VIEW_CASES,
    ASSIGN,
    REPORTS,
    "recovery.view_contactlog",
    "recovery.view_assignment",
    "recovery.view_caserecovery",
    "recovery.view_dunningtemplate",
    "recovery.change_dunningtemplate",
    "recovery.view_collectorbuckets",
    "recovery.add_collectorbuckets",
    "recovery.change_collectorbuckets",
    "recovery.delete_collectorbuckets",
    "loans.view_repaymentperiod",  # the dashboard's overdue loans by bucket
]

"""What the rules see about one application (CONTRACT §12), gathered once before they run.

Plain data, so that a rule is a pure function of it: the same facts are stored with the
application as they were at decision time, and a dry run replays new rules over them.
``loans.decisions`` gathers them from the database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from decimal import Decimal

# A device's earlier applications are remembered this far back (the longest window a rule may use).
DEVICE_WINDOW_DAYS = 365


@dataclass(frozen=True)
class Facts:
    amount: Decimal  # the amount applied for
    credit_limit: Decimal | None  # the customer's total credit then; None = unlimited
    age: int | None  # full years on the day of the application, from the ID number; None = unknown
    id_region: str  # the ID number's first six digits (the area code), "" when unknown
    account_age_days: int  # days from registration to the application
    contacts: int  # emergency contacts on file
    phonebook_entries: int  # entries of the phone book sent with the application
    device_token: str  # of the login the application's session came from ("" = unknown)
    device_customers: int  # customers who ever logged in with that token, the applicant included
    # For each application made from that token in the last DEVICE_WINDOW_DAYS, this one
    # included (0), how many days before this one it was made.
    device_application_days: tuple[int, ...]
    worst_days_past_due: int  # the most days any period of an earlier loan was (or is) late
    # For each earlier loan paid off, the most days any of its periods was paid late.
    paid_off_lateness: tuple[int, ...]

    def to_json(self) -> dict:
        data = asdict(self)
        data["amount"] = str(self.amount)
        data["credit_limit"] = None if self.credit_limit is None else str(self.credit_limit)
        data["device_application_days"] = list(self.device_application_days)
        data["paid_off_lateness"] = list(self.paid_off_lateness)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Facts:
        known = {field.name for field in fields(cls)}
        values = {name: value for name, value in data.items() if name in known}
        values["amount"] = Decimal(values["amount"])
        if values.get("credit_limit") is not None:
            values["credit_limit"] = Decimal(values["credit_limit"])
        values["device_application_days"] = tuple(values["device_application_days"])
        values["paid_off_lateness"] = tuple(values["paid_off_lateness"])
        return cls(**values)

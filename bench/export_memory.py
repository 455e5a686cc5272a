"""Memory of the back office's exports (issue 15): the customer list as CSV and as Excel, for
a tenth of the rows and for all of them, each run in a fresh process.

    .venv/bin/python bench/export_memory.py [--rows 100000]

Builds a throwaway SQLite database under ``var/bench/`` (or uses ``DATABASE_URL``'s database
as it is, which must then be empty of customers: ``DATABASE_URL=postgres://…/cashloan_exportbench``
after ``migrate``) with ``--rows`` customers, each with an encrypted ID number, a tenth of them
flagged as risk customers; then exports the list filtered on the flag (a tenth) and unfiltered
(all) through the admin's own export view, reading the streamed response to the end. Prints,
per run, the rows, the bytes, the time, and the process's peak resident memory before the export
and after it (``ru_maxrss``): bounded memory shows as a peak that does not grow with the rows.
``--heap`` also traces the Python heap's peak (tracemalloc; three to five times slower).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cashloan.settings")
os.environ.setdefault("DEBUG", "1")
DATABASE = ROOT / "var" / "bench" / "export.sqlite3"
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.setdefault("LOG_LEVEL", "WARNING")

BATCH = 5000


def populate(rows: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Identity, User
    from cashloan.crypto import keyed_digest

    call_command("migrate", verbosity=0)
    User.objects.update_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True, "mobile": None})
    now = timezone.now()
    for start in range(0, rows, BATCH):
        users = User.objects.bulk_create(
            User(username=f"1{n:010d}", mobile=f"1{n:010d}", real_name="王豆豆", is_risk=n % 10 == 0, password="!", date_joined=now)
            for n in range(start, min(start + BATCH, rows))
        )
        identities = []
        for user in users:
            number = f"440305199001{int(user.mobile) % 10**6:06d}"
            identities.append(Identity(user=user, real_name="王豆豆", id_number=number, id_number_digest=keyed_digest("id_number", number), verified_at=now))
        Identity.objects.bulk_create(identities)  # the field encrypts each ID number


def measure(fmt: str, query: str, heap: bool) -> None:
    """One export in this process; prints one line of figures."""
    import django

    django.setup()
    from django.contrib import admin
    from django.test import RequestFactory

    from accounts.models import Customer, User

    request = RequestFactory().get(f"/admin/accounts/customer/export/{fmt}/" + (f"?{query}" if query else ""))
    request.user = User.objects.get(username="bench-admin")
    model_admin = admin.site._registry[Customer]
    rows = Customer.objects.filter(is_risk=True).count() if query else Customer.objects.count()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if heap:
        tracemalloc.start()
    started = time.perf_counter()
    response = model_admin.export_view(request, fmt)
    size = sum(len(chunk) for chunk in (response.streaming_content if hasattr(response, "streaming_content") else response))
    elapsed = time.perf_counter() - started
    heap_text = f"   heap peak {tracemalloc.get_traced_memory()[1] / 2**20:5.1f} MiB" if heap else ""
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"  {fmt:5} {rows:>7} rows  {size / 1e6:6.1f} MB  {elapsed:6.1f} s   peak resident memory {rss_before / 1024:6.1f} MiB before, "
        f"{rss_peak / 1024:6.1f} MiB after{heap_text}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--heap", action="store_true", help="also trace the Python heap (slower)")
    parser.add_argument("--measure", nargs=2, metavar=("FORMAT", "QUERY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], args.measure[1], args.heap)
        return
    import django

    if os.environ["DATABASE_URL"].startswith("sqlite:///") and DATABASE.exists():
        DATABASE.unlink()
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    django.setup()
    started = time.perf_counter()
    populate(args.rows)
    from django.db import connection

    print(f"{connection.vendor}: {args.rows} customers made in {time.perf_counter() - started:.0f} s; the customer list exported")
    for fmt in ("csv", "xlsx"):
        for query in ("is_risk__exact=1", ""):
            heap = ["--heap"] if args.heap else []
            subprocess.run([sys.executable, __file__, "--measure", fmt, query, *heap], check=True, env=os.environ.copy())


if __name__ == "__main__":
    main()

"""Demo data for a first run (``manage.py loaddemo``); idempotent."""


def load(stdout) -> None:
    """Create this app's demo rows if they are missing."""

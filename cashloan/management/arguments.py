"""Argument types shared by the project's management commands."""

import argparse
from datetime import date


def iso_date(text: str) -> date:
    """``--date YYYY-MM-DD`` (argparse ``type=``)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be YYYY-MM-DD, got {text!r}") from None

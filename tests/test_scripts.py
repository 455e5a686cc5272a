"""The two commands of the README, where they meet the machine."""

import socket
import subprocess
import time

from tests.processes import ROOT, production_env


def test_run_says_how_to_choose_another_address_when_its_port_is_busy():
    """Operator friction (issue 10): on a busy port scripts/run redid the whole setup and only
    then failed. It checks first, and names BIND."""
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        started = time.monotonic()
        result = subprocess.run(
            ["scripts/run"], cwd=ROOT, env=production_env(BIND=f"127.0.0.1:{port}"),
            capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 1
    assert f"127.0.0.1:{port} is already in use" in result.stderr
    assert "BIND=127.0.0.1:8001 scripts/run" in result.stderr
    assert result.stdout == "" and time.monotonic() - started < 10  # no install, no migrate


def test_the_broker_check_is_not_held_by_the_quiet_hours(settings, tmp_path):
    """CI runs at any hour: from 21:00 Asia/Shanghai the check's SMS was held till 08:00 and the
    check failed both brokers for want of a delivery."""
    import importlib.util

    from messaging.delivery import quiet_hours

    spec = importlib.util.spec_from_file_location("broker_check", ROOT / "scripts" / "broker_check.py")
    broker_check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(broker_check)
    settings.SMS_QUIET_HOURS = broker_check.environment("redis://127.0.0.1:6379/4", tmp_path, "q")["SMS_QUIET_HOURS"]
    assert quiet_hours() is None

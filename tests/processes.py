"""Start the project as production does, in a subprocess: DEBUG off, explicit secrets.

The start-up, timeout and log tests need a fresh interpreter (settings are read once per
process); the environment is built here from nothing the developer's shell may have set.
"""

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Variables the settings read that must not leak from the shell running the suite.
CONFIG_VARIABLES = (
    "DEBUG", "SECRET_KEY", "APP_KEY", "FIELD_ENCRYPTION_KEY", "REDIS_URL", "CELERY_BROKER_URL", "EMBEDDED_SERVICES",
    "DATABASE_URL", "LOG_FORMAT", "LOG_LEVEL", "API_DOCS_PUBLIC", "PYTEST_XDIST_WORKER", "DJANGO_SETTINGS_MODULE",
)
VALID_SECRETS = {
    "SECRET_KEY": "test-secret-" + "s" * 40,
    "APP_KEY": "12345678",
    "FIELD_ENCRYPTION_KEY": "dGVzdC10ZXN0LXRlc3QtdGVzdC10ZXN0LXRlc3QtMzI=",  # 32 bytes, base64
}


def production_env(**overrides: str | None) -> dict:
    """DEBUG off with valid secrets and no services; ``NAME=None`` removes a variable."""
    env = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    env.update({"DEBUG": "0", "DJANGO_SETTINGS_MODULE": "cashloan.settings", **VALID_SECRETS})
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args: list[str], env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def run_python(code: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", code], env, timeout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SilentServer:
    """A TCP server that accepts every connection and never answers: a hung database or cache."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed
                return
            self.connections.append(connection)

    def __exit__(self, *exc):
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self.listener.close()
        for connection in self.connections:
            connection.close()

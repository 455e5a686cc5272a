"""Cost of the protocol layer: a trivial signed endpoint against a plain Django JSON view.

    DEBUG=1 .venv/bin/python bench/protocol_overhead.py [--requests 3000]

Both run in this process through Django's WSGI handler (all middleware included), one after
the other, with request bodies signed in advance, so the difference is what body decoding,
verification, the replay memory, the envelope and response signing cost on the server. Set REDIS_URL to measure with the replay memory in Redis, as in production.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cashloan.settings")
os.environ["ROOT_URLCONF"] = "bench.urls"

import django  # noqa: E402

django.setup()

import io  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from cashloan.api.signing import sign_request  # noqa: E402

handler = WSGIHandler()


def environ_for(path: str, body: bytes) -> dict:
    return {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }


def serve(environ: dict) -> bytes:
    statuses = []
    chunks = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    body = b"".join(chunks)
    assert statuses[0].startswith("200"), (statuses, body)
    return body


def measure(environs: list[dict]) -> float:
    """Requests per second over ``environs`` (built in advance: the client's cost is not counted)."""
    started = time.perf_counter()
    for environ in environs:
        serve(environ)
    return len(environs) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    args = parser.parse_args()

    def plain_batch(count):
        return [environ_for("/bench/plain", b"{}") for _ in range(count)]

    def signed_batch(count):
        return [environ_for("/bench/ping", json.dumps(sign_request({}, settings.APP_KEY)).encode()) for _ in range(count)]

    assert b'"0000"' in serve(signed_batch(1)[0])
    measure(plain_batch(300)), measure(signed_batch(300))  # warm-up
    plain_rate = measure(plain_batch(args.requests))
    signed_rate = measure(signed_batch(args.requests))
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"cache backend            {cache}")
    print(f"plain Django JSON view   {plain_rate:8.0f} req/s  ({1e6 / plain_rate:6.0f} µs/req)")
    print(f"signed envelope endpoint {signed_rate:8.0f} req/s  ({1e6 / signed_rate:6.0f} µs/req)")
    print(f"ratio signed/plain       {signed_rate / plain_rate:8.2f}")
    print(f"protocol layer overhead  {1e6 / signed_rate - 1e6 / plain_rate:8.0f} µs/req")


if __name__ == "__main__":
    main()

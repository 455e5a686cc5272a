"""gunicorn settings for production: ``gunicorn cashloan.wsgi`` picks this file up.

Threads (gthread) let a worker overlap its waits on PostgreSQL and Redis and keep
connections alive for the app's repeated calls; one process per core does the Python work.
Every value can be overridden from the environment (``GUNICORN_WORKERS=4``...).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 30))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))  # recycle workers now and then
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # "" turns it off
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

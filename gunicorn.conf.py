"""gunicorn settings for production: ``gunicorn cashloan.wsgi`` picks this file up.

Threads (gthread) let a worker overlap its waits on PostgreSQL and Redis and keep
connections alive for the app's repeated calls; one process per core does the Python work.
Every value can be overridden from the environment (``GUNICORN_WORKERS=4``...).

``timeout`` is the longest a request may run: past it, gunicorn aborts the worker holding it
and starts another (``cashloan/web_server.py``; plain gthread would only watch the worker's
main loop). Keep it above the database and cache timeouts, which end a request cleanly first.
Logs use the project's format (``LOG_FORMAT``), like the app and Celery.
"""

import multiprocessing
import os

from cashloan import web_server

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cashloan.settings")

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 30))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))  # recycle workers now and then
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # "" turns it off
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'  # time and request id come from the format
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
logger_class = web_server.GunicornLogger

post_worker_init = web_server.watch_requests
pre_request = web_server.request_started
post_request = web_server.request_finished

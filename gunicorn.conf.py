"""gunicorn settings for production: ``.venv/bin/gunicorn -c gunicorn.conf.py``.

Two worker processes with four threads each served the portal best on two cores
(docs/performance.md). Every value can be changed through the environment, so the
systemd unit in docs/operations.md needs no edits of this file.
"""

import os

wsgi_app = "portal:create_app()"
bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("PORTAL_WORKERS", "2"))
threads = int(os.environ.get("PORTAL_THREADS", "4"))
# A write may wait up to 30 s for SQLite's lock before the user gets the Dutch 503 page
# (portal/db.py); the worker must outlive that wait.
timeout = int(os.environ.get("PORTAL_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then: the PDF libraries grow a worker's memory over time.
max_requests = 2000
max_requests_jitter = 200
# The access log gives the path without its query string (a search for a child's name
# stays out of the log) and the request id that the portal's own log lines carry.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms id=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("PORTAL_LOG_LEVEL", "info").lower()
# The client's address comes from the portal's own ProxyFix (PORTAL_PROXIES), not from
# gunicorn's forwarded-header handling.
forwarded_allow_ips = ""

"""Logging, configured once per process: levels, a request id on every line, no personal data.

Every line carries the id of the request it belongs to (``X-Request-ID``: taken from
the reverse proxy when the portal trusts one, else made here, and sent back in the
response), so an operator can follow one request through the log. Log messages name
kinds and ids, never a child's name, a complaint's text, an address or a code; as a
last line of defence, anything that looks like an e-mail address is masked.
"""

import logging
import re
import secrets

from flask import g
from flask import has_request_context
from flask import request

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")

_configured = False


class RequestContext(logging.Filter):
    """Adds ``request_id`` to every record and masks e-mail addresses in the message."""

    def filter(self, record):
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        if isinstance(record.msg, str) and "@" in record.msg:
            record.msg = EMAIL_RE.sub("<e-mailadres>", record.msg)
        if record.args:
            record.args = tuple(
                EMAIL_RE.sub("<e-mailadres>", a) if isinstance(a, str) and "@" in a else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        return True


def configure(level="INFO"):
    """Set up the root logger once; later calls (a second app in the same process) only
    adjust the level."""
    global _configured
    root = logging.getLogger()
    root.setLevel(level)
    if _configured:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RequestContext())
    root.addHandler(handler)
    # Werkzeug's development-server lines repeat the whole URL; its level stays at
    # warnings so query strings (a search for a child's name) are not logged.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    _configured = True


def init_app(app):
    configure(app.config.get("LOG_LEVEL", "INFO"))
    trust_proxy = app.config["PORTAL_PROXIES"] > 0

    @app.before_request
    def _request_id():
        given = request.headers.get("X-Request-ID", "") if trust_proxy else ""
        g.request_id = given if REQUEST_ID_RE.fullmatch(given) else secrets.token_hex(8)

    @app.after_request
    def _send_request_id(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response

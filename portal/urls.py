"""Addresses that leave the portal (links in mail), made from PORTAL_URL, never from the request.

``url_for(..., _external=True)`` takes the host from the request's Host header, so a
request with ``Host: evil.example`` once put a phishing link under the school's name
into a parent's mail. Links in mail are the configured PORTAL_URL (required in
production) plus the path; when PORTAL_URL is set, requests for any other host are
refused (Flask's TRUSTED_HOSTS, config.py).
"""

from urllib.parse import urlsplit

from flask import current_app
from flask import has_request_context
from flask import url_for

DEVELOPMENT_URL = "http://127.0.0.1:5000"


def base_url():
    return (current_app.config.get("PORTAL_URL") or DEVELOPMENT_URL).rstrip("/")


def external_url(endpoint, **values):
    """The full address of ``endpoint`` for a mail: PORTAL_URL and the path (also outside a
    request: the outbox worker, a command, the demo)."""
    if has_request_context():
        return base_url() + url_for(endpoint, **values)
    # A request for the portal's own host: with PORTAL_URL set, Flask refuses any other
    # (TRUSTED_HOSTS), also in a request made up here, and then cannot build a URL.
    own = urlsplit(base_url())
    with current_app.test_request_context("/", base_url=f"{own.scheme}://{own.netloc}"):
        return base_url() + url_for(endpoint, **values)


def case_url(case):
    """The link to a case's page, for a mail to staff."""
    return external_url("cases.detail", school=case.school.slug, reference=case.reference)

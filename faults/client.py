"""HTTP clients for the served portal: a browser-like session, and complaint submission.

In production the session cookie is ``__Host-portal`` with the Secure flag.
A browser would only send it over HTTPS; the suite talks plain HTTP to
127.0.0.1, so its cookie jar keeps every cookie whatever its flags (which is
what a TLS-terminating proxy in front of the portal amounts to).
"""

import http.client
import re
import time
from html.parser import HTMLParser
from urllib.parse import urlencode

HOST = "127.0.0.1"
SCHOOL = "klaverweide"
FORM = f"/{SCHOOL}/klachten/indienen"
PASSWORD = "klaverweide-demo"  # noqa: S105 (the demo school's published demo password)
DIRECTIE = "directie@klaverweide.demo"

REF_RE = re.compile(r'id="referentie"[^>]*>\s*([A-Z]{2,}-\d{4}-\d+)\s*<')
# The receipt of a form sent twice names the first complaint's reference (and no code).
REPEAT_RE = re.compile(r"al verstuurd[^<]*<strong>\s*([A-Z]{2,}-\d{4}-\d+)\s*</strong>")


class NoAnswer(Exception):
    """The connection failed or closed before a full answer (server down, worker killed)."""


class Response:
    def __init__(self, status, headers, body, elapsed):
        self.status = status
        self.headers = headers  # lower-case name -> last value
        self.body = body
        self.elapsed = elapsed

    @property
    def content_type(self):
        return self.headers.get("content-type", "")

    def __repr__(self):
        return f"<Response {self.status} {self.content_type} {len(self.body)} chars>"


class Session:
    """One browser: its own connection and cookies; optional fixed headers (X-Forwarded-For)."""

    def __init__(self, port, headers=None, timeout=30):
        self.port = port
        self.headers = dict(headers or {})
        self.timeout = timeout
        self.cookies = {}
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _store_cookies(self, msg):
        for raw in msg.get_all("Set-Cookie") or []:
            first, *attrs = [p.strip() for p in raw.split(";")]
            name, _, value = first.partition("=")
            attrs = [a.lower() for a in attrs]
            if (
                not value
                or "max-age=0" in attrs
                or any(a.startswith("expires=") and "1970" in a for a in attrs)
            ):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value  # Secure or not: see the module docstring

    def request(self, method, path, data=None, headers=None):
        body = urlencode(data, doseq=True) if data is not None else None
        h = {"Accept": "text/html", **self.headers, **(headers or {})}
        if body is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            h["Cookie"] = self.cookie_header()
        t0 = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=h)
            r = self.conn.getresponse()
            text = r.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise NoAnswer(f"{type(exc).__name__}: {exc}") from None
        self._store_cookies(r.msg)
        if r.getheader("Connection", "").lower() == "close":
            self.close()
        headers_out = {k.lower(): v for k, v in r.getheaders()}
        return Response(r.status, headers_out, text, time.perf_counter() - t0)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, data, **kw):
        return self.request("POST", path, data=data, **kw)


class _Hidden(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.fields.setdefault(a["name"], a.get("value") or "")


def hidden_fields(html):
    """The hidden inputs of a page (csrf_token, form_token, …); the first of each name."""
    p = _Hidden()
    p.feed(html)
    return p.fields


def login(session, email=DIRECTIE, password=PASSWORD):
    """Log in; return the answer to the POST (302 on success)."""
    page = session.get("/login")
    token = hidden_fields(page.body).get("csrf_token", "")
    return session.post("/login", {"email": email, "password": password, "csrf_token": token})


def logged_in(response):
    return response.status == 302 and "/login" not in response.headers.get("location", "")


# ------------------------------------------------------------ complaints ----


class Form:
    """One complaint form as a parent fills it in; it may be sent more than once."""

    def __init__(self, session, marker, email=None):
        self.session = session
        self.marker = marker
        self.email = email
        self.fields = None
        self.answers = []  # ("ack", ref) | ("repeat", ref) | ("status", code) | ("none", text)

    def open(self):
        page = self.session.get(FORM)
        if page.status != 200:
            return page
        hidden = hidden_fields(page.body)
        self.fields = {
            "csrf_token": hidden.get("csrf_token", ""),
            "form_token": hidden.get("form_token", ""),
            "category": "pesten",
            "what_happened": f"Storingstest {self.marker}: mijn kind wordt al weken gepest.",
        }
        if self.email:
            self.fields["contact_email"] = self.email
        return page

    def send(self):
        """POST the form; record and return the outcome (an answer of the list above)."""
        try:
            r = self.session.post(FORM, self.fields)
        except NoAnswer as exc:
            outcome = ("none", str(exc))
            self.answers.append(outcome)
            return outcome, None
        m = REF_RE.search(r.body) if r.status == 200 else None
        if m:
            outcome = ("ack", m.group(1))
        elif r.status == 200 and (m := REPEAT_RE.search(r.body)):
            outcome = ("repeat", m.group(1))
        else:
            outcome = ("status", r.status)
        self.answers.append(outcome)
        return outcome, r

    @property
    def acknowledged(self):
        """The reference the parent was last shown, or None (no receipt in the end)."""
        last = self.answers[-1] if self.answers else None
        return last[1] if last and last[0] in ("ack", "repeat") else None


def submit(session, marker, email=None, retries=0, retry_pause=1.0, statuses=None):
    """Fill in and send one complaint; resend the same form up to ``retries`` times after
    no answer or a 5xx (a parent pressing 'send' again). Returns the Form."""
    form = Form(session, marker, email)
    try:
        page = form.open()
    except NoAnswer as exc:
        form.answers.append(("none", f"form page: {exc}"))
        return form
    if statuses is not None:
        statuses[page.status] = statuses.get(page.status, 0) + 1
    if page.status != 200:
        form.answers.append(("form", page.status))
        return form
    for attempt in range(retries + 1):
        outcome, r = form.send()
        if r is not None and statuses is not None:
            statuses[r.status] = statuses.get(r.status, 0) + 1
        retry = outcome[0] == "none" or (outcome[0] == "status" and outcome[1] >= 500)
        if not retry or attempt == retries:
            break
        time.sleep(retry_pause)
    return form

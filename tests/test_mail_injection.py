"""No mail can carry an injected header or a foreign host (docs/security.md D4).

Every POST form on every page (found on the pages themselves, as in test_core_input, so a
form added later is tried too) is sent by a visitor and by staff in several roles, with a
line break and a ``Bcc:`` header in every one-line field, and with ``Host: evil.example``
on every request. Afterwards nothing in the database holds that line break (one-line
fields refuse it, or it never reaches a stored value) and every queued mail has one-line
headers and no link to the foreign host. Two structural checks keep it so: mail rows are
written only by ``mail.queue`` (which cleans every header value), links in mail are made
only from PORTAL_URL (``urls.external_url``), and only the outbox worker talks SMTP.
"""

import ast
from html.parser import HTMLParser
from pathlib import Path

from portal.cases import engine
from portal.db import database
from portal.models import Outbox

from .conftest import login
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import reload
from .test_core_input import SKIP_ACTIONS
from .test_core_input import get_pages

EVIL = {"HTTP_HOST": "evil.example"}
INJECTED = "Titel\r\nBcc: x@evil.example"
INJECTED_ADDRESS = "ouder@voorbeeld.nl\r\nBcc: x@evil.example"
ONE_LINE = {"text", "email", "search", "tel", "url", ""}
ROOT = Path(__file__).resolve().parent.parent
# Forms that take no text and would cut the walk short: disabling an account, resetting a
# second factor, switching plugins off.
SKIP_ENDPOINTS = ("admin.disable", "admin.reset_mfa", "admin.plugins")


class Forms(HTMLParser):
    """POST forms of a page: action and fields (name, kind, default); a textarea is "textarea"."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.current = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "").lower()
            fields = self.current["fields"]
            if kind == "checkbox" and "checked" not in a:
                return
            if kind == "radio":  # the checked one, else the first: a required choice is made
                if "checked" in a:
                    fields[:] = [f for f in fields if f[0] != a["name"]]
                elif any(f[0] == a["name"] for f in fields):
                    return
            fields.append((a["name"], kind, a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self.current["fields"].append((a["name"], "textarea", ""))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self.current["fields"].append((a["name"], "select", None))
        elif tag == "option" and self.select:
            fields = self.current["fields"]
            if fields and fields[-1][0] == self.select and not fields[-1][2]:  # the first real one
                fields[-1] = (self.select, "select", a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def fill(fields, injected=None):
    """Good values for every field; the injected header in the field named ``injected``."""
    data = {}
    for name, kind, default in fields:
        if name == "csrf_token" or kind in ("hidden", "submit"):
            data[name] = default or ""
        elif name == injected:
            data[name] = INJECTED_ADDRESS if kind == "email" else INJECTED
        elif kind == "email":
            data[name] = "ouder@voorbeeld.nl"
        elif kind == "tel" or "phone" in name:
            data[name] = "036 000 0000"
        elif kind == "url" or "address" in name:
            data[name] = "https://voorbeeld.nl"
        elif kind == "time":
            data[name] = "10:00"
        elif kind in ONE_LINE and name != "website":  # the honeypot stays empty
            data[name] = "Titel"
        elif kind == "textarea":
            data[name] = "Wat er gebeurde, in een paar woorden."
        elif kind == "date":
            data[name] = default or "2026-11-30"
        elif kind == "password":
            data[name] = "een lange zin als wachtwoord"
        else:
            data[name] = default or ""
    return data


def post_all(app, client, pages, posted, injected):
    adapter = app.url_map.bind("localhost")
    for page in pages:
        r = client.get(page, environ_base=EVIL)
        if r.status_code != 200 or r.mimetype != "text/html":
            continue
        parser = Forms()
        parser.feed(r.get_data(as_text=True))
        for form in parser.forms:
            action = form["action"] or page
            if action.startswith(SKIP_ACTIONS):
                continue
            endpoint = adapter.match(action.split("?")[0], method="POST")[0]
            if endpoint in posted or endpoint in SKIP_ENDPOINTS:
                continue
            posted[endpoint] = action
            if not injected:
                tries = [None]
            else:  # one field at a time, so that the others cannot get the form refused
                tries = [
                    n for n, k, _d in form["fields"] if k in ONE_LINE and n not in ("csrf_token", "website")
                ]
            for name in tries:
                r = client.post(action, data=fill(form["fields"], name), environ_base=EVIL)
                assert r.status_code < 500, (action, name, r.status_code)


def stored_line_breaks():
    """[(table, column)] of every stored text that holds the injected header."""
    found = []
    for table in database.get_tables():
        cursor = database.execute_sql(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
        names = [c[0] for c in cursor.description]
        for row in cursor.fetchall():
            for name, value in zip(names, row, strict=True):
                if isinstance(value, str) and ("\nBcc" in value or "\rBcc" in value):
                    found.append((table, name))
    return sorted(set(found))


def walk(app, reference, injected):
    """Every form, anonymously and in five roles; {endpoint: action} of what was posted."""
    posted = {}
    post_all(app, app.test_client(), get_pages(app, reference, anonymous=True), posted, injected)
    for role in ("leerkracht", "ib", "contactpersoon", "directie", "beheerder"):
        client = app.test_client()
        assert login(client, role).status_code == 302
        post_all(app, client, get_pages(app, reference, anonymous=False), posted, injected)
    return posted


def test_every_form_refuses_header_injection_and_mail_names_only_portal_url(app):
    app.config["THROTTLE_FREE_ATTEMPTS"] = 10_000
    with db_ctx(app):
        case = make_case("Kopregels")
        engine.run_transition(reload(case), "testzaak.start", actor("directie"))
        before = {row.id for row in Outbox.select(Outbox.id)}

    # A line break and a Bcc header in every one-line field: refused, or never stored.
    posted = walk(app, case.reference, injected=True)
    # The walk reached the forms that make mail or feed it: a parent's public form, the
    # staff's start pages, a note on a case, the admin's user and school pages.
    for expected in (
        "/klaverweide/klachten/indienen",
        "/klaverweide/klachten/vastleggen",
        f"/klaverweide/zaken/{case.reference}/notitie",
        "/klaverweide/beheer/gebruiker/nieuw",
        "/klaverweide/beheer/school",
    ):
        assert expected in posted.values(), f"{expected} was not tried: {sorted(posted.values())}"
    with db_ctx(app):
        found = stored_line_breaks()
        assert found == [], "\n".join(f"{t}.{c}" for t, c in found)

    # The same forms with good values, still with a forged Host: mail is queued, and its
    # links name the portal's own address (here the development address), never the host.
    walk(app, case.reference, injected=False)
    with db_ctx(app):
        mails = list(Outbox.select().where(Outbox.id.not_in(before or {0})))
    assert len(mails) >= 3, "the walk queued hardly any mail: it no longer reaches those forms"
    assert any("http://127.0.0.1:5000/" in (m.body or "") for m in mails), "no mail with a link"
    for mail in mails:
        for value in (mail.to, mail.subject, mail.attachment_name):
            assert not any(c in value for c in "\r\n"), (mail.id, value)
        assert "evil.example" not in mail.to + mail.subject + (mail.body or ""), mail.id


def _python_files():
    for folder in ("portal", "plugins"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def test_mail_is_written_linked_and_sent_in_one_place_each():
    """Outbox rows are made only by mail.queue; no link is made from the request's host;
    only the mail module speaks SMTP (so no page can wait for a mail server)."""
    problems = []
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel:
            continue  # a migration rewrites old rows with its own copy of the rules
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _calls(tree):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("create", "insert", "insert_many", "replace")
                and isinstance(func.value, ast.Name)
                and func.value.id == "Outbox"
                and rel != "portal/mail.py"
            ):
                problems.append(f"{rel}:{node.lineno} writes Outbox rows; use mail.queue")
            if any(k.arg == "_external" for k in node.keywords):
                problems.append(f"{rel}:{node.lineno} url_for(_external=...) takes the request's host")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("host_url", "url_root", "host"):
                if isinstance(node.value, ast.Name) and node.value.id == "request":
                    problems.append(f"{rel}:{node.lineno} request.{node.attr} in the portal's code")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if "smtplib" in names and rel != "portal/mail.py":
                    problems.append(f"{rel}:{node.lineno} imports smtplib; only the outbox worker sends")
    assert problems == [], "\n".join(problems)

"""NUL characters, control characters and odd Unicode in any input (docs/security.md C6):
400 or a form error, never 500 — on SQLite and on PostgreSQL (which rejects NUL).

The forms are found on the pages themselves (every GET route from ``app.url_map``),
so a form added later is exercised too."""

from html.parser import HTMLParser

from werkzeug.routing.converters import IntegerConverter

from portal.access import view_rule
from portal.cases import engine

from .conftest import get_csrf
from .conftest import login
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import reload

HOSTILE = [
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\u202eevil\u200d\ufeff Zoe\u0308\u0301 Łucja Şükrü \uffff\U0010ffff\ufffd",
    "😀" * 300,
    "x" * 20000,
    "<script>alert(1)</script>\"' onmouseover=x",
]
TEXT_TYPES = {"text", "email", "password", "search", "tel", "url", "number", ""}
SKIP_ACTIONS = ("/logout",)


class Forms(HTMLParser):
    """POST forms of a page: action and fields (name, kind, default value)."""

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
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.current["fields"].append((a["name"], kind, a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self.current["fields"].append((a["name"], "", ""))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self.current["fields"].append((a["name"], "select", None))
        elif tag == "option" and self.select:
            fields = self.current["fields"]
            if fields and fields[-1][0] == self.select and fields[-1][2] is None:
                fields[-1] = (self.select, "select", a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def forms_on(text):
    p = Forms()
    p.feed(text)
    return p.forms


def get_pages(app, reference, anonymous):
    out = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        kind = view_rule(app.view_functions[rule.endpoint])[0]
        if kind is None or (anonymous and kind != "public"):
            continue
        args = {"school": "klaverweide", "reference": reference}
        if set(rule.arguments) - set(args):
            continue
        out.append(rule.build({a: args[a] for a in rule.arguments}, append_unknown=False)[1])
    return out


def fill(fields, value):
    data = {}
    for name, kind, default in fields:
        if kind in TEXT_TYPES and name != "csrf_token":
            data[name] = value
        elif kind == "date":
            data[name] = default or "2026-11-30"
        else:
            data[name] = default or ""
    return data


def post_hostile(app, client, pages, posted):
    """Post every hostile value into every text field of every form (once per endpoint)."""
    adapter = app.url_map.bind("localhost")
    for page in pages:
        r = client.get(page)
        if r.status_code != 200 or r.mimetype != "text/html":
            continue
        for form in forms_on(r.get_data(as_text=True)):
            action = form["action"] or page
            texts = [f for f in form["fields"] if f[1] in TEXT_TYPES and f[0] != "csrf_token"]
            endpoint = adapter.match(action.split("?")[0], method="POST")[0]
            if not texts or action.startswith(SKIP_ACTIONS) or endpoint in posted:
                continue
            posted[endpoint] = action
            for value in HOSTILE:
                data = fill(form["fields"], value)
                r = client.post(action, data=data)
                if "\x00" in value:
                    assert r.status_code == 400, (action, r.status_code)
                else:
                    assert r.status_code < 500, (action, value[:20], r.status_code)
                    assert r.status_code != 400 or "csrf_token" not in data, (action, value[:20])


def test_hostile_text_in_every_form(app):
    app.config["THROTTLE_FREE_ATTEMPTS"] = 10_000  # the hostile logins must not lock us out
    with db_ctx(app):
        case = make_case("Invoer")
        engine.run_transition(reload(case), "testzaak.start", actor("directie"))
    posted = {}
    anon = app.test_client()
    post_hostile(app, anon, get_pages(app, case.reference, anonymous=True), posted)
    for role in ("directie", "beheerder"):
        c = app.test_client()
        assert login(c, role).status_code == 302
        post_hostile(app, c, get_pages(app, case.reference, anonymous=False), posted)
    base = f"/klaverweide/zaken/{case.reference}"
    for expected in (
        "/login",
        "/wachtwoord",
        f"{base}/notitie",
        f"{base}/stap/testzaak.besluit",
        "/klaverweide/kalender/",
        "/klaverweide/beheer/school",
    ):
        assert expected in posted.values(), f"{expected} was not exercised: {sorted(posted.values())}"
    # Stored payloads come back escaped.
    c = app.test_client()
    login(c, "directie")
    text = c.get(base).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in text


def test_nul_anywhere_is_400(app):
    """Query strings, form fields and URL path segments: NUL is refused before any query."""
    with db_ctx(app):
        case = make_case("NUL")
    c = app.test_client()
    login(c, "beheerder")
    token = get_csrf(c, "/klaverweide/")
    for url in (
        "/klaverweide/zaken/?q=%00",
        "/klaverweide/zaken/?na=%00_1",
        "/klaverweide/jaarcijfers/?jaar=%00",
        "/login?next=/%00",
        # a repeated field (only the first value was looked at once) and a name
        "/klaverweide/zaken/?q=KL&q=%00",
        "/klaverweide/zaken/?%00=1",
    ):
        assert c.get(url).status_code == 400, url
    for url in (
        f"/klaverweide/zaken/{case.reference}%00",
        "/klaver%00weide/",
        "/klaverweide/zaken/%00/document/1",
    ):
        r = c.get(url)
        assert r.status_code == 400, (url, r.status_code)
    # Every POST route, with a valid token: NUL in any field is 400.
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        args = {}
        for arg in rule.arguments:
            if isinstance(rule._converters.get(arg), IntegerConverter):
                args[arg] = 1
            else:
                args[arg] = {"school": "klaverweide", "reference": case.reference}.get(arg, "x")
        url = rule.build(args, append_unknown=False)[1]
        r = c.post(url, data={"csrf_token": token, "veld": "\x00"})
        assert r.status_code == 400, (url, r.status_code)
        r = c.post(url, data={"csrf_token": token, "veld": ["ok", "\x00"]})
        assert r.status_code == 400, (url, r.status_code)


def test_invalid_utf8_and_surrogates(app):
    with db_ctx(app):
        case = make_case("Bytes")
    c = app.test_client()
    login(c, "directie")
    base = f"/klaverweide/zaken/{case.reference}"
    token = get_csrf(c, base)
    for raw in (b"%ED%A0%80", b"%FF%FE%FD", b"%C0%AF", b"%F4%90%80%80"):
        body = b"csrf_token=" + token.encode() + b"&text=" + raw
        r = c.post(f"{base}/notitie", data=body, content_type="application/x-www-form-urlencoded")
        assert r.status_code < 500, (raw, r.status_code)
        r = c.get(b"/klaverweide/zaken/?q=".decode() + raw.decode())
        assert r.status_code < 500

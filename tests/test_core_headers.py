"""Response headers (docs/security.md D2, E6), open redirects via ``next`` (D4) and no external
URLs in any page (no CDN). Pages are found through ``app.url_map``."""

import re
from urllib.parse import quote
from urllib.parse import urlsplit

from portal.access import view_rule

from .conftest import get_csrf
from .conftest import login
from .core_helpers import db_ctx
from .core_helpers import make_case

ALLOWED_SOURCES = {"'self'", "'none'", "data:"}
EXTERNAL_RE = re.compile(
    r"<(?:link|script|img|iframe|source|audio|video|embed|object|form)\b[^>]*?"
    r"\b(?:src|href|action|data|srcset)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.I,
)
INLINE_SCRIPT_RE = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER_RE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def get_pages(app, reference):
    """Every GET route with simple URL arguments, filled with real values."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if view_rule(app.view_functions[rule.endpoint])[0] is None:
            continue
        args = {"school": "klaverweide", "reference": reference}
        if set(rule.arguments) - set(args):
            continue
        urls.append(rule.build({a: args[a] for a in rule.arguments}, append_unknown=False)[1])
    return urls


def check_csp(value):
    directives = dict((parts[0], parts[1:]) for parts in (d.split() for d in value.split(";") if d.strip()))
    for name, sources in directives.items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, value
        assert set(sources) <= ALLOWED_SOURCES, f"{name} allows {sources}"
    assert directives.get("default-src") == ["'self'"]
    assert directives.get("script-src", ["'self'"]) == ["'self'"]
    assert directives.get("object-src") == ["'none'"]
    assert directives.get("frame-ancestors") == ["'none'"]
    assert directives.get("base-uri") == ["'none'"]


def check_common(r, url):
    check_csp(r.headers["Content-Security-Policy"])
    assert r.headers["X-Content-Type-Options"] == "nosniff", url
    assert r.headers["Referrer-Policy"] == "no-referrer", url


def check_html(text, url):
    assert not EXTERNAL_RE.search(text), f"{url} references an external URL"
    assert not INLINE_SCRIPT_RE.search(text), f"{url} has inline script"
    assert not HANDLER_RE.search(text), f"{url} has an inline event handler"


def test_headers_and_assets_on_every_page(app, client):
    with db_ctx(app):
        reference = make_case("Kopregels").reference
    anon = {"/login", "/bestaat-niet", "/klaverweide/zaken/"}
    for url in anon:
        r = client.get(url)
        check_common(r, url)
        if r.status_code == 200:
            check_html(r.get_data(as_text=True), url)
    login(client, "directie")
    pages = get_pages(app, reference)
    assert "/klaverweide/zaken/" in pages and f"/klaverweide/zaken/{reference}" in pages
    admin = app.test_client()
    login(admin, "beheerder")
    for who, c in (("directie", client), ("beheerder", admin)):
        for url in pages:
            r = c.get(url)
            assert r.status_code < 500, url
            check_common(r, url)
            assert "no-store" in r.headers.get("Cache-Control", ""), f"{who} {url}"
            if r.status_code == 200 and r.mimetype == "text/html":
                check_html(r.get_data(as_text=True), url)
    # Error pages of logged-in users are not cached either.
    r = client.get("/klaverweide/zaken/XX-0000-0000")
    assert r.status_code == 404 and "no-store" in r.headers["Cache-Control"]


def test_static_assets_are_local(app, client):
    import os

    static = app.static_folder
    checked = 0
    for root, _dirs, files in os.walk(static):
        for name in files:
            if name.endswith((".css", ".js", ".svg", ".html")):
                with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                    text = f.read()
                assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", text), name
                assert not re.search(r"@import\s+[\"']?(?:url\()?\s*[\"']?(?:https?:)?//", text), name
                checked += 1
    assert checked
    r = client.get("/static/portal.css")
    assert r.status_code == 200
    assert r.headers["X-Content-Type-Options"] == "nosniff"


HOSTILE_NEXT = [
    "//evil.example",
    "//evil.example/klaverweide/",
    "https://evil.example",
    "http://evil.example/login",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "/%2F%2Fevil.example",
]
RAW_QUERIES = [
    "next=%2F%2Fevil.example",
    "next=%2f%2fevil.example",
    "next=%5C%5Cevil.example",
    "next=https%3A%2F%2Fevil.example",
    "next=%252F%252Fevil.example",
    "next=/%0d%0aLocation:%20https://evil.example",
]


def assert_on_site(r):
    assert r.status_code in (200, 302, 303, 400, 401, 429), r.status_code
    if r.status_code in (302, 303):
        loc = r.headers["Location"]
        parts = urlsplit(loc)
        assert parts.netloc in ("", "localhost") and parts.scheme in ("", "http"), loc
        assert loc.startswith("/") and not loc.startswith("//") and "\\" not in loc, loc
        assert "evil.example" not in parts.netloc


def test_safe_next_refuses_every_hostile_target():
    from portal.auth import safe_next

    for target in HOSTILE_NEXT + ["%2F%2Fevil.example", "/\\/evil.example", "/\r\nX: y"]:
        assert safe_next(target) in (None, "/%2F%2Fevil.example"), target
    assert safe_next("/klaverweide/zaken/?soort=x") == "/klaverweide/zaken/?soort=x"


def test_next_never_leaves_the_site(app, client):
    # Logging in with a hostile next (query string and form field) stays on the site.
    for i, target in enumerate(("//evil.example", "https://evil.example", "/\\evil.example")):
        c = app.test_client()
        token = get_csrf(c, "/login?next=" + quote(target, safe=""))
        data = {"email": "ib@klaverweide.demo", "password": "klaverweide-demo", "csrf_token": token}
        if i == 2:
            r = c.post("/login", data=dict(data, next=target))
        else:
            r = c.post("/login?next=" + quote(target, safe=""), data=data)
        assert r.status_code == 302
        assert_on_site(r)
    # Logged in, GET /login?next=... redirects at once: every hostile value, raw encodings too.
    login(client, "ib")
    for target in HOSTILE_NEXT:
        assert_on_site(client.get("/login", query_string={"next": target}))
    for query in RAW_QUERIES:
        assert_on_site(client.get("/login?" + query))
    # Anonymous: the hidden next field never carries an off-site target.
    anon = app.test_client()
    for query in RAW_QUERIES + ["next=" + quote(t, safe="") for t in HOSTILE_NEXT]:
        r = anon.get("/login?" + query)
        assert r.status_code == 200
        for value in re.findall(r'name="next" value="([^"]*)"', r.get_data(as_text=True)):
            assert value.startswith("/") and not value.startswith("//") and "\\" not in value


def test_login_redirect_keeps_relative_next(client):
    r = client.get("/klaverweide/zaken/?soort=x")
    assert r.status_code == 302
    loc = r.headers["Location"]
    assert loc.startswith("/login?next=")
    token = get_csrf(client, loc)
    r = client.post(
        loc, data={"email": "ib@klaverweide.demo", "password": "klaverweide-demo", "csrf_token": token}
    )
    assert r.status_code == 302 and r.headers["Location"] == "/klaverweide/zaken/?soort=x"


def test_static_files_are_fingerprinted_cached_for_a_year_and_need_no_database(app, client, monkeypatch):
    page = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/portal\.css\?v=[0-9a-f]{12})"', page)
    assert css, "the stylesheet's URL carries its fingerprint"
    # The database is not asked for a stylesheet (on PostgreSQL that was a connection each).
    from portal.db import database

    def no_database(*args, **kwargs):
        raise AssertionError("a static file touched the database")

    monkeypatch.setattr(database.obj, "connect", no_database)
    monkeypatch.setattr(database.obj, "execute_sql", no_database)
    r = client.get(css.group(1))
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    r = client.get("/static/portal.css")  # without a fingerprint: checked again each time
    assert r.headers["Cache-Control"] == "no-cache"


def test_first_visit_weighs_under_150_kb(client):
    """The login page and everything it loads (no web fonts: the system's own are used)."""
    page = client.get("/login")
    total = len(page.get_data())
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.get_data(as_text=True))
    assert assets
    for url in assets:
        r = client.get(url)
        assert r.status_code == 200, url
        total += len(r.get_data())
        assert b"@font-face" not in r.get_data(), url
    assert total < 150_000, total

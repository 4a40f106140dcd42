"""Integers beyond 64 bits in a URL, a query string or a form answer a normal page or 404,
never a 500 (SQLite raises OverflowError for them): every <int:...> URL part of the URL
map, and the integer parameters the pages read."""

from werkzeug.routing import IntegerConverter

from .conftest import login

HUGE = ("9223372036854775808", "99999999999999999999", "-9223372036854775809")


def test_every_integer_url_part_refuses_huge_numbers(app):
    client = app.test_client()
    login(client, "beheerder")
    rules = [
        r
        for r in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in r._converters.values())
    ]
    assert len(rules) >= 4
    problems = []
    for rule in rules:
        for huge in HUGE[:2]:
            url = rule.rule.replace("<school>", "klaverweide")
            for name, conv in rule._converters.items():
                placeholder = [p for p in url.split("/") if p.startswith("<") and name in p]
                value = huge if isinstance(conv, IntegerConverter) else "x"
                url = url.replace(placeholder[0], value) if placeholder else url
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                r = client.open(url, method=method)
                if r.status_code >= 500:
                    problems.append(f"{method} {url}: {r.status_code}")
    assert problems == []


def test_huge_numbers_in_query_strings(app):
    client = app.test_client()
    login(client, "directie")
    for huge in HUGE:
        r = client.get(f"/klaverweide/zaken/?na=2026-01-01T00:00:00_{huge}")
        assert r.status_code == 200, huge
        assert client.get(f"/klaverweide/jaarcijfers/?jaar={huge}").status_code == 200


def _parameter_names():
    """Every request parameter the code reads by name (args, form, values)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r"""(?:args|form|values)\.get(?:list)?\(\s*f?["']([A-Za-z_][\w-]*)["']""")
    names = set()
    for folder in ("portal", "plugins"):
        for path in (root / folder).rglob("*.py"):
            names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names


def test_huge_numbers_in_every_parameter_of_every_route(app):
    """Every parameter the code reads by name, and every field of every form on every page,
    set to a number beyond 64 bits, on every route, anonymously and as staff: never a 500."""
    from portal.cases import engine

    from .conftest import get_csrf
    from .core_helpers import actor
    from .core_helpers import db_ctx
    from .core_helpers import make_case
    from .core_helpers import reload
    from .test_core_input import get_pages
    from .test_mail_injection import Forms

    app.config["THROTTLE_FREE_ATTEMPTS"] = 100_000
    with db_ctx(app):
        case = make_case("Getallen")
        engine.run_transition(reload(case), "testzaak.start", actor("directie"))
    names = _parameter_names()
    assert {"na", "jaar", "document", "vanaf", "voor"} <= names, sorted(names)
    adapter = app.url_map.bind("localhost")
    problems, forms_tried = [], set()
    for role in (None, "directie", "beheerder"):
        client = app.test_client()
        if role:
            assert login(client, role).status_code == 302
        token = get_csrf(client, "/klaverweide/klachten/volgen" if role is None else "/klaverweide/")
        for huge in HUGE[:2]:
            query = {name: huge for name in names}
            # GET: every page, with every parameter at once.
            for page in get_pages(app, case.reference, anonymous=role is None):
                r = client.get(page, query_string=query)
                if r.status_code >= 500:
                    problems.append(f"{role} GET {page}: {r.status_code}")
            # POST: every rule, with every parameter at once.
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
                if url in ("/logout",):
                    continue
                r = client.post(url, data={**query, "csrf_token": token})
                if r.status_code >= 500:
                    problems.append(f"{role} POST {url}: {r.status_code}")
        # Every form on every page, one field at a time.
        for page in get_pages(app, case.reference, anonymous=role is None):
            r = client.get(page)
            if r.status_code != 200 or r.mimetype != "text/html":
                continue
            parser = Forms()
            parser.feed(r.get_data(as_text=True))
            for form in parser.forms:
                action = form["action"] or page
                endpoint = adapter.match(action.split("?")[0], method="POST")[0]
                if action.startswith("/logout") or (role, endpoint) in forms_tried:
                    continue
                forms_tried.add((role, endpoint))
                base = {name: default or "" for name, _kind, default in form["fields"]}
                for name, _kind, _default in form["fields"]:
                    if name == "csrf_token":
                        continue
                    r = client.post(action, data={**base, name: HUGE[1]})
                    if r.status_code >= 500:
                        problems.append(f"{role} POST {action} {name}={HUGE[1]}: {r.status_code}")
    assert problems == [], "\n".join(problems)
    assert len(forms_tried) > 20

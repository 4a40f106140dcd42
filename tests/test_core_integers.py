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

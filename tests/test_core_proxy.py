"""Behind a reverse proxy every request arrives from the proxy's address. With
PORTAL_PROXIES=N the portal takes the client's address from the proxy's X-Forwarded-For
(werkzeug's ProxyFix, N hops), so throttles count each parent and each colleague apart;
with the default 0 that header is ignored, so nobody can forge their address."""

import re

import pytest

from .conftest import get_csrf

FORM = "/klaverweide/klachten/indienen"
TOKENS = re.compile(r'name="(csrf_token|form_token)"[^>]*? value="([^"]+)"')
PROXY = "10.9.9.9"  # the reverse proxy's own address


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_PROXIES": 1, "PORTAL_PLUGINS": ("klachten",)}


def via_proxy(client_address):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


def complain(app, environ, text):
    client = app.test_client()
    tokens = dict(TOKENS.findall(client.get(FORM, environ_base=environ).get_data(as_text=True)))
    return client.post(
        FORM, data={"category": "pesten", "what_happened": text, **tokens}, environ_base=environ
    )


def test_sixteen_parents_behind_one_proxy_are_sixteen_addresses(app):
    for i in range(16):
        r = complain(app, via_proxy(f"203.0.113.{i + 1}"), f"Melding {i}")
        assert r.status_code == 200, (i, r.status_code)


def test_wrong_logins_from_one_address_do_not_slow_another(app):
    client = app.test_client()
    free = app.config["THROTTLE_FREE_ATTEMPTS"]

    def attempt(address, email, password="fout-wachtwoord-123"):
        token = get_csrf(client, "/login")
        return client.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": token},
            environ_base=via_proxy(address),
        )

    for i in range(free * 4 + 1):  # a stranger guesses at many accounts from one address
        attempt("198.51.100.7", f"gok{i}@klaverweide.demo")
    assert attempt("198.51.100.7", "iemand@klaverweide.demo").status_code == 429
    r = attempt("192.0.2.44", "directie@klaverweide.demo", "klaverweide-demo")
    assert r.status_code == 302  # the colleague logs in at once


@pytest.mark.schema
def test_without_a_proxy_setting_the_header_is_ignored(app_config, tmp_path, monkeypatch):
    from portal import create_app
    from portal import migrate
    from portal.db import database
    from portal.demo import create_demo
    from portal.registry import get_pm

    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "direct"))
    direct = create_app({**app_config, "PORTAL_PROXIES": 0})
    with direct.app_context():
        database.connect(reuse_if_open=True)
        migrate.upgrade(get_pm(), log=lambda *_: None)
        create_demo(get_pm(), log=lambda *_: None)
        database.close()
    seen = []

    @direct.route("/wie")
    def who():
        from flask import request

        seen.append(request.remote_addr)
        return "ok"

    who.portal_public = True
    direct.test_client().get(
        "/wie", environ_base={"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "203.0.113.99"}
    )
    assert seen == ["192.0.2.1"]

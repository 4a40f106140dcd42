"""Production mode refuses an unsafe configuration (docs/security.md E6) and says why, in Dutch."""

import pytest

from portal import create_app
from portal.config import ConfigError

GOOD_KEY = "Zq8vN3kLp0Xw7RtY2bHc9MdF4sJgA6uE1oIiVnBz"  # a key as secrets.token_urlsafe makes


@pytest.fixture
def prod(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    for var in ("SECRET_KEY", "PORTAL_ENV", "FLASK_DEBUG", "DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)

    def make(migrated=False, **overrides):
        config = {
            "PORTAL_ENV": "production",
            "SECRET_KEY": GOOD_KEY,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
            "PORTAL_URL": "https://portaal.school.nl",
        }
        config.update(overrides)
        app = create_app({k: v for k, v in config.items() if v is not ...})
        if migrated:  # the login page reads the board's single-sign-on setting
            assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
        return app

    return make


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"DEBUG": True}, "DEBUG staat aan"),
        ({"SECRET_KEY": ...}, "SECRET_KEY ontbreekt"),
        ({"SECRET_KEY": ""}, "SECRET_KEY ontbreekt"),
        ({"SECRET_KEY": "dev"}, "SECRET_KEY ontbreekt of is een standaardwaarde"),
        ({"SECRET_KEY": "change-me"}, "standaardwaarde"),
        ({"SECRET_KEY": "kort-maar-niet-standaard"}, "korter dan 32 tekens"),
        ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE staat uit"),
        ({"SECRET_KEY": "a" * 32}, "niet willekeurig genoeg"),
        ({"SESSION_COOKIE_HTTPONLY": False}, "SESSION_COOKIE_HTTPONLY staat uit"),
        ({"SESSION_COOKIE_SAMESITE": None}, "SESSION_COOKIE_SAMESITE is niet Lax of Strict"),
        ({"WTF_CSRF_ENABLED": False}, "WTF_CSRF_ENABLED staat uit"),
        ({"PORTAL_URL": ...}, "PORTAL_URL ontbreekt"),
        ({"PORTAL_URL": "http://portaal.school.nl"}, "begint niet met https://"),
        ({"PASSWORD_HASH_FAST": True}, "PASSWORD_HASH_FAST staat aan"),
    ],
)
def test_production_refuses(prod, overrides, reason):
    with pytest.raises(ConfigError) as err:
        prod(**overrides)
    message = str(err.value)
    assert message.startswith("Het portaal start niet in productie")
    assert reason in message


def test_production_names_every_problem(prod):
    with pytest.raises(ConfigError) as err:
        prod(DEBUG=True, SECRET_KEY="dev", SESSION_COOKIE_SECURE=False)
    message = str(err.value)
    for reason in ("DEBUG", "SECRET_KEY", "SESSION_COOKIE_SECURE"):
        assert reason in message


def test_production_from_environment(prod, monkeypatch, tmp_path):
    """The environment alone (as on a server) is checked too, FLASK_DEBUG included."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("PORTAL_URL", "https://portaal.school.nl")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="DEBUG staat aan"):
        create_app()
    monkeypatch.delenv("FLASK_DEBUG")
    assert create_app().config["SESSION_COOKIE_NAME"] == "__Host-portal"


def test_production_starts_with_a_good_config(prod, tmp_path):
    app = prod(migrated=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-portal"
    assert not app.debug
    # No key was written into the instance folder: production brings its own.
    assert not (tmp_path / "instance" / "secret_key").exists()
    client = app.test_client()
    r = client.get("/login", base_url="https://portaal.school.nl")
    assert r.status_code == 200
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("__Host-portal="))
    flags = [p.strip().lower() for p in cookie.split(";")]
    assert "secure" in flags and "httponly" in flags and "path=/" in flags
    assert not any(f.startswith("domain=") for f in flags), "__Host- cookies carry no Domain"
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")


def test_development_generates_a_key_once(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    url = f"sqlite:///{tmp_path / 'dev.sqlite3'}"
    first = create_app({"DATABASE_URL": url}).config["SECRET_KEY"]
    second = create_app({"DATABASE_URL": url}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.stat().st_mode & 0o077 == 0, "the key file is readable by others"
    assert (tmp_path / "instance").stat().st_mode & 0o077 == 0, "the instance folder is open"
    assert (tmp_path / "dev.sqlite3").stat().st_mode & 0o077 == 0, "the database is readable by others"


def test_an_open_instance_folder_is_made_private(tmp_path, monkeypatch):
    folder = tmp_path / "oud"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(folder))
    create_app({"DATABASE_URL": f"sqlite:///{folder / 'x.sqlite3'}", "SECRET_KEY": "k" * 40})
    assert folder.stat().st_mode & 0o777 == 0o700


def test_with_portal_url_set_other_hosts_are_refused(prod):
    app = prod(migrated=True)
    client = app.test_client()
    assert client.get("/login", base_url="https://portaal.school.nl").status_code == 200
    assert client.get("/login", base_url="https://evil.example").status_code == 400
    assert (
        prod(migrated=True, PORTAL_EXTRA_HOSTS="portaal.asg.nl")
        .test_client()
        .get("/login", base_url="https://portaal.asg.nl")
        .status_code
        == 200
    )


def test_mail_links_outside_a_request_with_portal_url_set(prod):
    """The outbox worker, a command or the demo makes links without a request: with
    PORTAL_URL set (and so other hosts refused) they are still made, from PORTAL_URL."""
    from portal.urls import external_url

    app = prod()
    with app.app_context():
        assert external_url("auth.login") == "https://portaal.school.nl/login"


def test_production_refuses_the_demo_school(prod):
    app = prod()
    result = app.test_cli_runner().invoke(args=["init-db", "--demo"])
    assert result.exit_code != 0 and "niet aangemaakt" in result.output

"""Configuration: defaults, then instance/config.py, then the environment.

``PORTAL_ENV=production`` refuses to start with an unsafe configuration.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlparse

INSECURE_SECRET_KEYS = {"", "dev", "change-me", "secret", "changeme", "development"}


class ConfigError(RuntimeError):
    pass


def defaults(instance_path):
    return {
        "PORTAL_ENV": "development",
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'portal.sqlite3'}",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # None: Secure in production, not on http://127.0.0.1 in development.
        "SESSION_COOKIE_SECURE": None,
        "REMEMBER_COOKIE_DURATION": 0,
        # Idle and absolute session limits (docs/security.md A4).
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_MAX_HOURS": 10,
        # Every role that sees case content logs in with a second factor (TOTP); 0 is a
        # deliberate opt-out (the demo), which production mode warns about.
        "PORTAL_REQUIRE_MFA": True,
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
        # Audit rows of page views are written in batches, twice a second (portal/audit.py).
        "AUDIT_VIEW_BATCH": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # Throttling: this many failures in the window are free, then the wait doubles.
        "THROTTLE_FREE_ATTEMPTS": 5,
        "THROTTLE_WINDOW_MINUTES": 15,
        "THROTTLE_MAX_SECONDS": 900,
        # Links to set a password (portal/password_links.py): "Wachtwoord vergeten?" works
        # this long; the link for a new account (or one the beheerder sends) this long.
        "PASSWORD_RESET_MINUTES": 60,
        "PASSWORD_SET_HOURS": 72,
        # Mail: without SMTP_HOST the outbox only records.
        "SMTP_HOST": "",
        "SMTP_PORT": 25,
        "SMTP_USERNAME": "",
        "SMTP_PASSWORD": "",
        "SMTP_STARTTLS": False,
        "SMTP_TIMEOUT": 5,
        "MAIL_FROM": "veiligheidsportaal@localhost",
        # The outbox worker (flask --app portal outbox work): rows per claim, how long a
        # claim holds, seconds between polls, attempts before a mail counts as failed.
        "OUTBOX_BATCH_SIZE": 50,
        "OUTBOX_LEASE_SECONDS": 300,
        "OUTBOX_POLL_SECONDS": 5,
        "OUTBOX_MAX_ATTEMPTS": 8,
        # The portal's own address (https://portaal.school.nl): links in mail are made from it,
        # never from a request's Host header; when set, requests for other hosts are refused
        # (TRUSTED_HOSTS, plus PORTAL_EXTRA_HOSTS). Required in production.
        "PORTAL_URL": "",
        "PORTAL_EXTRA_HOSTS": (),
        # PostgreSQL: init-db runs the migrations as the schema's owner and grants the
        # application's login (DATABASE_URL) only rows, the audit log only INSERT and SELECT
        # (portal/db_roles.py).
        "DATABASE_OWNER_URL": "",
        "PORTAL_DB_APP_ROLE": "",
        # /health answers 503 when due mail has waited longer than this (worker not running).
        "HEALTH_OUTBOX_MAX_MINUTES": 15,
        # The number of reverse proxies in front of the portal (werkzeug's ProxyFix). With 0
        # a client's X-Forwarded-For is ignored, so nobody can forge the address the
        # throttles count; behind one proxy (nginx) set 1.
        "PORTAL_PROXIES": 0,
        # Backups (flask --app portal backup, and init-db's before it migrates) are
        # encrypted for this age key (age1…) or gpg key; "": not encrypted.
        "PORTAL_BACKUP_RECIPIENT": "",
        # Which plugins load (None: every installed one).
        "PORTAL_PLUGINS": None,
        "PORTAL_EXTRA_PLUGINS": (),
    }


ENV_KEYS = (
    "DATABASE_URL",
    "DATABASE_OWNER_URL",
    "PORTAL_DB_APP_ROLE",
    "SECRET_KEY",
    "PORTAL_ENV",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "MAIL_FROM",
    "PORTAL_URL",
    "PORTAL_REQUIRE_MFA",
    "PORTAL_PROXIES",
    "PORTAL_EXTRA_HOSTS",
    "PORTAL_BACKUP_RECIPIENT",
)


def load(app, test_config=None):
    app.config.update(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    for key in ENV_KEYS:
        if key in os.environ:
            app.config[key] = os.environ[key]
    app.config["SMTP_PORT"] = int(app.config["SMTP_PORT"])
    try:
        app.config["PORTAL_PROXIES"] = int(app.config["PORTAL_PROXIES"])
    except (TypeError, ValueError):
        raise ConfigError(
            "PORTAL_PROXIES moet een geheel getal zijn (het aantal proxy's voor het portaal, meestal 0 of 1)."
        ) from None
    if isinstance(app.config["PORTAL_REQUIRE_MFA"], str):
        app.config["PORTAL_REQUIRE_MFA"] = app.config["PORTAL_REQUIRE_MFA"].strip().lower() not in (
            "0",
            "false",
            "nee",
            "no",
            "off",
            "",
        )
    if test_config:
        app.config.update(test_config)
    production = app.config["PORTAL_ENV"] == "production"
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = production
    if app.config["PORTAL_URL"] and not app.config.get("TRUSTED_HOSTS"):
        host = urlparse(app.config["PORTAL_URL"]).hostname
        extra = app.config["PORTAL_EXTRA_HOSTS"]
        extra = extra.split(",") if isinstance(extra, str) else list(extra)
        app.config["TRUSTED_HOSTS"] = [h for h in [host, *extra] if h]
    if production:
        check_production(app.config, debug=app.debug)
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    if app.config["SESSION_COOKIE_SECURE"]:
        # The __Host- prefix pins the cookie to this host and path (ASVS 3.3.x).
        app.config["SESSION_COOKIE_NAME"] = "__Host-portal"
    else:
        app.config["SESSION_COOKIE_NAME"] = "portal"


def check_production(config, debug):
    problems = []
    if debug or config.get("DEBUG"):
        problems.append("DEBUG staat aan")
    if (config.get("SECRET_KEY") or "") in INSECURE_SECRET_KEYS:
        problems.append("SECRET_KEY ontbreekt of is een standaardwaarde")
    elif len(config["SECRET_KEY"]) < 32:
        problems.append("SECRET_KEY is korter dan 32 tekens")
    elif len(set(config["SECRET_KEY"])) < 16:
        problems.append("SECRET_KEY is niet willekeurig genoeg (te weinig verschillende tekens)")
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE staat uit (cookies zonder Secure)")
    if config.get("SESSION_COOKIE_HTTPONLY") is not True:
        problems.append("SESSION_COOKIE_HTTPONLY staat uit (scripts kunnen de sessie lezen)")
    if config.get("SESSION_COOKIE_SAMESITE") not in ("Lax", "Strict"):
        problems.append("SESSION_COOKIE_SAMESITE is niet Lax of Strict")
    if config.get("WTF_CSRF_ENABLED") is False:
        problems.append("WTF_CSRF_ENABLED staat uit (geen bescherming tegen CSRF)")
    if not (config.get("PORTAL_URL") or "").startswith("https://"):
        problems.append(
            "PORTAL_URL ontbreekt of begint niet met https:// (links in e-mail komen daarvandaan)"
        )
    if config.get("PASSWORD_HASH_FAST"):
        problems.append("PASSWORD_HASH_FAST staat aan (alleen voor de tests)")
    if problems:
        raise ConfigError("Het portaal start niet in productie: " + "; ".join(problems) + ".")


def instance_secret_key(instance_path):
    """A random key kept in the instance folder, made on first run (mode 0600)."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key

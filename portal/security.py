"""Response headers every page gets, and the error pages."""

from flask import g
from flask import render_template
from flask import request
from flask_login import current_user

from .i18n import lazy_gettext as _l
from .i18n import parents_page

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

ERRORS = {
    400: (
        _l("Ongeldig verzoek"),
        _l(
            "Het formulier is verlopen of onvolledig verstuurd. Ga terug, "
            "laad de pagina opnieuw en probeer het nog eens."
        ),
    ),
    401: (_l("Inloggen nodig"), _l("Log in om verder te gaan.")),
    403: (_l("Geen toegang"), _l("U heeft geen toegang tot deze pagina.")),
    404: (_l("Niet gevonden"), _l("Deze pagina bestaat niet, of u heeft er geen toegang toe.")),
    405: (_l("Niet toegestaan"), _l("Deze handeling kan niet op deze manier worden uitgevoerd.")),
    413: (
        _l("Te groot"),
        _l(
            "Wat u verstuurde is te groot. Stuur hoogstens 5 bestanden van elk hoogstens 10 MB, "
            "of maak het kleiner, en probeer het opnieuw."
        ),
    ),
    429: (_l("Te veel verzoeken"), _l("U heeft te vaak geprobeerd. Wacht even en probeer het opnieuw.")),
    500: (
        _l("Er ging iets mis"),
        _l(
            "Er ging aan onze kant iets mis. Er is niets opgeslagen van deze "
            "handeling. Probeer het later opnieuw; bel bij spoed de school."
        ),
    ),
    503: (
        _l("Tijdelijk niet beschikbaar"),
        _l(
            "Het portaal is even niet bereikbaar. Probeer het over "
            "enkele minuten opnieuw; bel bij spoed de school."
        ),
    ),
}


def init_app(app):
    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "no-referrer"
        h["X-Frame-Options"] = "DENY"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["SESSION_COOKIE_SECURE"]:
            h["Strict-Transport-Security"] = "max-age=31536000"
        if g.get("db_failed"):
            # Asking who is logged in would read the database that just failed.
            h["Cache-Control"] = "no-store"
        elif request.endpoint == "static":
            # A fingerprinted URL (templating.static_version) never changes content: a year,
            # without asking again. Any other static URL is checked with its ETag.
            fingerprinted = "v" in request.args
            h["Cache-Control"] = "public, max-age=31536000, immutable" if fingerprinted else "no-cache"
        elif current_user.is_authenticated or g.get("no_store") or request.method == "POST":
            # Dossier pages and receipt pages never stay in a browser cache.
            h["Cache-Control"] = "no-store"
        return response

    def handler(code):
        def handle(error):
            return error_page(code)

        return handle

    for code in ERRORS:
        app.register_error_handler(code, handler(code))

    from flask_wtf.csrf import CSRFError

    app.register_error_handler(CSRFError, handler(400))

    for exc_class in database_errors():
        app.register_error_handler(exc_class, database_failed)


def database_errors():
    """The exception classes that mean "the database failed", as peewee and the drivers
    raise them (peewee wraps most driver errors, not those from a rollback or close)."""
    import sqlite3

    import peewee
    from playhouse.pool import MaxConnectionsExceeded

    # MaxConnectionsExceeded: every pooled connection stayed busy for pool_wait seconds.
    classes = [
        peewee.OperationalError,
        peewee.InterfaceError,
        sqlite3.OperationalError,
        MaxConnectionsExceeded,
    ]
    try:
        import psycopg2
    except ImportError:  # pragma: no cover - psycopg2 is a dependency
        pass
    else:
        classes += [psycopg2.OperationalError, psycopg2.InterfaceError]
    return classes


# What the user reads for each kind of database failure (db.failure_kind).
DB_FAILURE_TEXT = {
    "locked": "Het is op dit moment erg druk in het portaal. Er is niets opgeslagen van deze "
    "handeling. Probeer het over een minuut opnieuw.",
    "pool_exhausted": "Het is op dit moment erg druk in het portaal. Er is niets opgeslagen van "
    "deze handeling. Probeer het over een minuut opnieuw.",
    "disk_full": "Het portaal kan op dit moment niets opslaan. Er is niets opgeslagen van deze "
    "handeling. Probeer het later opnieuw.",
    "read_only": "Het portaal kan op dit moment niets opslaan. Er is niets opgeslagen van deze "
    "handeling. Probeer het later opnieuw.",
}


def database_failed(error):
    """The Dutch 503 page for a database failure, made without touching the database.

    The log names the kind of failure (locked, disk full, read-only, connection lost)
    and the page, never the statement or the data in it."""
    from .db import failure_kind

    kind = failure_kind(error)
    g.db_failed = kind
    from flask import current_app

    current_app.logger.error(
        "database failure: kind=%s class=%s endpoint=%s method=%s",
        kind,
        type(error).__name__,
        request.endpoint,
        request.method,
    )
    if request.endpoint == "schools.health":  # monitoring reads JSON
        return {"status": "onbeschikbaar", "problemen": ["database"]}, 503
    title, text = ERRORS[503]
    return bare_page(503, title, DB_FAILURE_TEXT.get(kind, text))


def _school_of_request():
    """The school of a parents' page, also when the error came before it was loaded (a body
    too large is refused while the CSRF check reads it, before the school is looked up)."""
    if g.get("school") is None and g.get("school_slug"):
        from .schools import load_school

        g.school = load_school(g.school_slug)
    return g.get("school")


def bare_page(code, title, text):
    """An error page from what this process already knows (the school of the URL, if it
    was loaded, and its phone number for urgent matters), with no database query."""
    from .schools import known_contact

    name, phone = known_contact()
    try:
        html = render_template("errors/bare.html", title=title, text=text, school_name=name, phone=phone)
        return html, code, {"Cache-Control": "no-store"}
    except Exception:  # the last resort: plain text, never a traceback
        extra = f"\n\nIs het dringend? Bel de school: {phone}." if phone else ""
        return (
            f"{title}\n\n{text}{extra}\n",
            code,
            {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"},
        )


def error_page(code):
    """The Dutch error page, in the portal's layout; without it when even that cannot be
    rendered (the layout asks the database who is logged in). On a parents' page: in their
    language and their pages' layout (a file too large on the complaint form)."""
    title, text = ERRORS[code]
    if g.get("db_failed"):
        return bare_page(code, title, text)
    try:
        if parents_page() and _school_of_request() is not None:
            return render_template("public/error.html", code=code, title=title, text=text), code
        return render_template("errors/error.html", code=code, title=title, text=text), code
    except Exception:  # the layout needs the database; the bare page does not
        g.db_failed = "layout"  # and the response headers must not ask it either
        return bare_page(code, title, text)

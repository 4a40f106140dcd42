"""Response headers every page gets, and the error pages."""

from flask import g
from flask import render_template
from flask import request
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

ERRORS = {
    400: ("Ongeldig verzoek", "Het formulier is verlopen of onvolledig verstuurd. Ga terug, "
          "laad de pagina opnieuw en probeer het nog eens."),
    401: ("Inloggen nodig", "Log in om verder te gaan."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: ("Niet gevonden", "Deze pagina bestaat niet, of u heeft er geen toegang toe."),
    405: ("Niet toegestaan", "Deze handeling kan niet op deze manier worden uitgevoerd."),
    413: ("Te groot", "Wat u verstuurde is te groot. Maak het kleiner en probeer het opnieuw."),
    429: ("Te veel verzoeken", "U heeft te vaak geprobeerd. Wacht even en probeer het opnieuw."),
    500: ("Er ging iets mis", "Er ging aan onze kant iets mis. Er is niets opgeslagen van deze "
          "handeling. Probeer het later opnieuw; bel bij spoed de school."),
    503: ("Tijdelijk niet beschikbaar", "Het portaal is even niet bereikbaar. Probeer het over "
          "enkele minuten opnieuw; bel bij spoed de school."),
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
        if request.endpoint != "static" and (
            current_user.is_authenticated or g.get("no_store") or request.method == "POST"
        ):
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

    from peewee import OperationalError

    @app.errorhandler(OperationalError)
    def _db_down(error):
        app.logger.error("database unavailable: %s", type(error).__name__)
        return error_page(503)


def error_page(code):
    """The Dutch error page; plain text when even that cannot be rendered (database down)."""
    title, text = ERRORS[code]
    try:
        return render_template("errors/error.html", code=code, title=title, text=text), code
    except Exception:  # the page itself needs the database (menu, user): fall back to text
        return f"{title}\n\n{text}\n", code, {"Content-Type": "text/plain; charset=utf-8"}

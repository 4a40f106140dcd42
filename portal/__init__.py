"""Veiligheidsportaal: the school safety plan as forms, cases, letters and figures."""

import os

from flask import Flask

from .hookspecs import hookimpl

__all__ = ["create_app", "hookimpl"]


def create_app(test_config=None):
    """The app factory: config, database, plugins, blueprints."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("PORTAL_INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    _private_folder(app.instance_path)
    _bounded_int_urls(app)

    from . import config
    from . import csrf
    from . import i18n

    config.load(app, test_config)
    i18n.init_app(app)
    from . import passwords

    passwords.configure(app)

    from . import access
    from . import auth
    from . import builtin
    from . import db
    from . import logs
    from . import mfa
    from . import password_links
    from . import plugins
    from . import security
    from . import sso
    from . import templating
    from .registry import Registry

    logs.init_app(app)
    _trust_proxies(app)
    db.init_app(app)
    csrf.init_app(app)
    pm = plugins.make_manager(
        only=app.config["PORTAL_PLUGINS"], extra=tuple(app.config["PORTAL_EXTRA_PLUGINS"])
    )
    pm.register(builtin, name="portal")
    app.extensions["portal"] = Registry(pm)

    templating.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    mfa.init_app(app)
    password_links.init_app(app)
    sso.init_app(app)
    app.before_request(_refuse_nul)

    from . import admin
    from . import calendar_views
    from . import partners
    from . import schools
    from .cases import views as case_views
    from .pupils import inzage_views
    from .pupils import views as pupil_views

    schools.init_app(app)
    app.before_request(access.enforce)
    app.before_request(mfa.require_enrolment)  # after access: a second factor, where required
    case_views.init_app(app)
    from . import attachments

    attachments.init_app(app)
    from . import public

    public.init_app(app)
    calendar_views.init_app(app)
    from . import report

    report.init_app(app)
    admin.init_app(app)
    partners.init_app(app)
    pupil_views.init_app(app)
    inzage_views.init_app(app)
    from . import board_overview
    from . import notifications
    from . import reminders
    from . import search

    notifications.init_app(app)
    from . import idle

    idle.init_app(app)
    from . import head

    head.init_app(app)
    from . import audit_log

    audit_log.init_app(app)
    board_overview.init_app(app)
    reminders.init_app(app)
    search.init_app(app)
    _register_plugin_blueprints(app, pm)

    from . import cli

    cli.init_app(app)
    pm.hook.register_commands(cli=app.cli)
    return app


def _bounded_int_urls(app):
    """``<int:...>`` in a URL takes only numbers a database column can hold: a larger one is
    a 404, not an OverflowError in SQLite (a 500)."""
    from werkzeug.routing import IntegerConverter

    from .forms import MAX_INT

    class BoundedInt(IntegerConverter):
        def __init__(self, map, **kw):
            kw.setdefault("max", MAX_INT)
            super().__init__(map, **kw)

    app.url_map.converters["int"] = BoundedInt


def _private_folder(path):
    """The instance folder holds the database, its backups and the secret key: only the
    portal's own user may look in (an older version made it world-readable)."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    if os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o700)


def _trust_proxies(app):
    """Behind ``PORTAL_PROXIES`` reverse proxies, take the client's address and scheme from
    the headers they set (werkzeug's ProxyFix trusts exactly that many hops). With the
    default 0 the headers are ignored: a client cannot forge the address that the
    throttles count, and behind a proxy the school is not one address."""
    n = app.config["PORTAL_PROXIES"]
    if n > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)


def _register_plugin_blueprints(app, pm):
    """Mount each plugin's blueprint under /<school>/<slug>/, with the start pages of its
    case types added (a plugin with start pages but no blueprint gets one)."""
    from flask import Blueprint

    from . import public
    from .cases import starts
    from .plugins import PluginError
    from .plugins import results_by_plugin

    registry = app.extensions["portal"]
    by_slug = {}
    for slug, blueprints in results_by_plugin(pm, "register_blueprints", app=app):
        for bp in blueprints or ():
            if bp.name != slug:
                raise PluginError(f"plugin {slug!r}: blueprint name {bp.name!r} must be the slug")
            if slug in by_slug:
                raise PluginError(f"plugin {slug!r}: more than one blueprint")
            by_slug[slug] = bp
    for slug in registry.plugin_slugs:
        types = [
            ct
            for name, ct in registry.case_types.items()
            if registry.case_type_owner[name] == slug and ct.starts
        ]
        if types and slug not in by_slug:
            by_slug[slug] = Blueprint(slug, f"{slug}_starts")
        if types:
            starts.attach(by_slug[slug], types)
            public.attach(by_slug[slug], types, registry)
    for slug, bp in sorted(by_slug.items()):
        app.register_blueprint(bp, url_prefix=f"/<school>/{slug}")


def _refuse_nul(*_):
    """NUL in any input: a clear 400, the same on SQLite and PostgreSQL (which rejects it)."""
    from flask import abort
    from flask import request

    if "\x00" in request.path:  # URL parts such as a case reference or the school slug
        abort(400)
    # request.form parses the body; a GET has none, so only its query string is read.
    sources = (request.args,) if request.method in ("GET", "HEAD") else (request.args, request.form)
    for values in sources:
        # Every value of a repeated field, and the field names too.
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)

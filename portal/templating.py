"""Jinja setup: Dutch date filters and the helpers every template may use."""

from flask import g
from flask_login import current_user

from . import dates
from .access import can
from .declarations import ROLES


def init_app(app):
    app.jinja_env.filters["nl_date"] = dates.nl_date
    app.jinja_env.filters["nl_datetime"] = dates.nl_datetime
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["ROLES"] = ROLES
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _nav():
        school = g.get("school")
        if school is None or not current_user.is_authenticated:
            return {"nav": []}
        from .menus import nav_items

        return {"nav": nav_items(current_user, school)}

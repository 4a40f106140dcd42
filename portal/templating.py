"""Jinja setup: Dutch date filters and the helpers every template may use."""

import hashlib
import os
from functools import lru_cache

from flask import current_app
from flask import g
from flask import request
from flask import url_for
from flask_login import current_user
from markupsafe import Markup

from . import dates
from .access import can
from .declarations import ROLES
from .partners import tel_link


@lru_cache(maxsize=4096)
def _layout_url(script_root, endpoint, school_slug, filename):
    # The school comes from g through the app's url_defaults; it is part of the key.
    if endpoint == "static":
        return url_for(endpoint, filename=filename, v=static_version(filename))
    return url_for(endpoint, **({"filename": filename} if filename else {}))


@lru_cache(maxsize=256)
def static_version(filename):
    """A fingerprint of a static file's content: its URL changes when the file does, so
    browsers may keep it for a year (security.py sends ``immutable`` for such URLs).
    Read once per process: a deployment restarts the workers."""
    path = os.path.join(current_app.static_folder, filename)
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:12]


def layout_url(endpoint, filename=None):
    """``url_for`` for the links every page repeats (menu, stylesheet, logout).

    They depend only on the endpoint, the school and where the app is mounted, so
    they are built once per process instead of a dozen times per page.
    """
    school = g.get("school")
    return _layout_url(request.script_root, endpoint, school.slug if school else "", filename)


@lru_cache(maxsize=1024)
def _options(choices, selected):
    option = Markup('<option value="{}"{}>{}</option>')
    return Markup("").join(
        option.format(value, Markup(" selected") if value == selected else "", label)
        for value, label in choices
    )


def options(choices, selected=None):
    """The ``<option>`` elements for (value, label) pairs, values and labels escaped.

    The case list's filters show the same few dozen options on every page view;
    they are made once per set of choices and selected value.
    """
    return _options(tuple(choices), selected)


def init_app(app):
    app.jinja_env.globals["layout_url"] = layout_url
    app.jinja_env.globals["options"] = options
    app.jinja_env.filters["nl_date"] = dates.nl_date
    from . import letters

    app.jinja_env.filters["words"] = letters.words
    app.jinja_env.globals["salutation"] = letters.salutation
    app.jinja_env.globals["letter_place"] = letters.place
    # A letter that needs these refuses to be made (LetterRefused) until the school has them.
    app.jinja_env.globals["letter_board"] = letters.board
    app.jinja_env.globals["letter_vertrouwenspersoon"] = letters.vertrouwenspersoon
    app.jinja_env.globals["letter_klachtencommissie"] = letters.klachtencommissie
    app.jinja_env.filters["nl_datetime"] = dates.nl_datetime
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["ROLES"] = ROLES
    # A phone number as a link that a phone can call (``tel:``), or "" for other text.
    app.jinja_env.globals["tel_link"] = tel_link
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _nav():
        school = g.get("school")
        # After a database failure, asking who is logged in would read the database again.
        if g.get("db_failed") or school is None or not current_user.is_authenticated:
            return {"nav": []}
        from .menus import nav_items

        here = request.endpoint
        # (link, label, is this page): made here, once, rather than item by item in Jinja.
        return {
            "nav": [
                (layout_url(item.endpoint), item.label, item.endpoint == here)
                for item in nav_items(current_user, school)
            ]
        }

"""The parents' pages in their own language (Flask-Babel, gettext catalogues).

Dutch is the source language: every text is written in Dutch in the code and the
templates, marked for translation (``_()`` in templates, ``gettext``/``lazy_gettext``
in Python, ``N_`` for a text translated where it is shown), and translated in
portal/translations/<language>/LC_MESSAGES/messages.po (``make translations`` compiles
them; ``make translations-update`` brings new texts in).

Only the parents' pages speak another language: a view marked ``parents`` (the public
route of portal/public.py and its error pages). Staff pages, letters and everything
stored stay Dutch: ``select_locale`` answers "nl" for every other page, and whatever
is written to the database is written under ``dutch()``.

On a parents' page the language is, in this order: the one the page fixed (the
language a complaint was submitted in, ``use``), the one chosen with ``?taal=`` (a
link on every page; kept in the session), the browser's Accept-Language, Dutch.
"""

import contextlib
import logging
import os

from flask import current_app
from flask import g
from flask import has_request_context
from flask import request
from flask import session
from flask import url_for
from flask_babel import Babel
from flask_babel import force_locale
from flask_babel import format_date
from flask_babel import format_datetime
from flask_babel import get_locale
from flask_babel import gettext
from flask_babel import lazy_gettext
from flask_babel import ngettext
from flask_babel import refresh

from . import dates

log = logging.getLogger(__name__)

DEFAULT = "nl"
# Each language named in itself: the switch shows these, so a parent finds their own.
LANGUAGES = {
    "nl": "Nederlands",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "pl": "Polski",
    "uk": "Українська",
}
# Each language named in Dutch, for the staff (the case page says what a parent wrote in).
DUTCH_NAMES = {
    "nl": "Nederlands",
    "en": "Engels",
    "tr": "Turks",
    "ar": "Arabisch",
    "pl": "Pools",
    "uk": "Oekraïens",
}
RTL = frozenset({"ar"})
QUERY = "taal"  # ?taal=tr
SESSION_KEY = "taal"
TRANSLATIONS = os.path.join(os.path.dirname(__file__), "translations")

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "N_",
    "dutch",
    "gettext",
    "language",
    "lazy_gettext",
    "ngettext",
    "parents_page",
    "use",
]


def N_(text):  # noqa: N802 - the gettext convention for "translated where shown"
    """Mark ``text`` for the catalogue without translating it here (a state's title, a
    choice's label): the page that shows it to a parent translates it with ``_()``."""
    return text


def parents(view):
    """Mark a view as a parents' page: it (and its error pages) speaks their language."""
    view.portal_parents = True
    return view


def parents_page():
    """Is this request for a parents' page?"""
    if not has_request_context() or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "portal_parents", False))


def supported(code):
    return code if code in LANGUAGES else None


def select_locale():
    if not has_request_context():
        return DEFAULT
    if g.get("portal_language"):
        return g.portal_language
    if not parents_page():
        return DEFAULT
    chosen = supported(request.args.get(QUERY, ""))
    if chosen:
        return chosen
    kept = supported(session.get(SESSION_KEY, ""))
    if kept:
        return kept
    return request.accept_languages.best_match(tuple(LANGUAGES), default=DEFAULT)


def chosen_language():
    """The language the parent chose with the switch on this visit (None: not chosen)."""
    return supported(request.args.get(QUERY, "")) or supported(session.get(SESSION_KEY, ""))


def use(code):
    """From here on this request speaks ``code`` (the language of the parent's case)."""
    code = supported(code) or DEFAULT
    g.portal_language = code
    refresh()


def language():
    """The language of this request (or of the ``dutch()``/``force_locale`` block)."""
    locale = get_locale()
    return str(locale.language) if locale is not None else DEFAULT


@contextlib.contextmanager
def dutch():
    """Everything stored (titles, timeline, staff mail) is written in Dutch, also while a
    parent's request speaks another language."""
    with force_locale(DEFAULT):
        yield


@contextlib.contextmanager
def speaking(code):
    """Texts for a parent outside their own request (a mail when the school answers)."""
    with force_locale(supported(code) or DEFAULT):
        yield


def _remember_choice():
    """``?taal=`` on a parents' page: remembered for the next pages of this visit."""
    chosen = supported(request.args.get(QUERY, ""))
    if chosen and parents_page() and session.get(SESSION_KEY) != chosen:
        session[SESSION_KEY] = chosen


# ------------------------------------------------------------ templates ----


def parent_date(value):
    """A date the way the parent's language writes it (7 december 2026, 7 Aralık 2026)."""
    if value is None or value == "":
        return ""
    if language() == DEFAULT:
        return dates.nl_date(value)
    if hasattr(value, "hour"):
        value = dates.local(value).date()
    return format_date(value, "long")


def parent_datetime(value):
    if value is None:
        return ""
    if language() == DEFAULT:
        return dates.nl_datetime(value)
    return format_datetime(value, "medium")


def switch_links():
    """[(code, name, url, current)] for the language links of a parents' GET page."""
    args = {**(request.view_args or {}), **request.args.to_dict()}
    here = language()
    return [
        (code, name, url_for(request.endpoint, **{**args, QUERY: code}), code == here)
        for code, name in LANGUAGES.items()
    ]


def _context():
    if not parents_page() and not g.get("portal_language"):
        return {"lang": DEFAULT, "text_dir": "ltr"}
    here = language()
    return {
        "lang": here,
        "text_dir": "rtl" if here in RTL else "ltr",
        "languages": LANGUAGES,
        "language_links": switch_links,
    }


# ------------------------------------------------------------ catalogues ----


def compile_catalogues(folder=TRANSLATIONS):
    """Compile every messages.po whose messages.mo is missing or older (``make translations``
    does this at install; here it repairs a checkout where that did not run). Returns
    the languages compiled."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    done = []
    for code in LANGUAGES:
        po = os.path.join(folder, code, "LC_MESSAGES", "messages.po")
        mo = po[:-2] + "mo"
        if not os.path.exists(po):
            continue
        if os.path.exists(mo) and os.path.getmtime(mo) >= os.path.getmtime(po):
            continue
        try:
            with open(po, "rb") as f:
                catalog = read_po(f, locale=code)
            with open(mo, "wb") as f:
                write_mo(f, catalog)
        except OSError as exc:  # a read-only install: the Makefile compiles there
            log.warning("translations for %s not compiled: %s", code, exc)
            continue
        done.append(code)
    return done


def board_of(school):
    """The school's board by name, for a parent's page: "het schoolbestuur" (in the
    parent's language) while the school has not filled in its board's name. Never the
    school's own name: the school and its bevoegd gezag are two different bodies."""
    name = (getattr(school, "board_name", "") or "").strip()
    return name or gettext("het schoolbestuur")


def init_app(app):
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = TRANSLATIONS
    compile_catalogues()
    Babel(app, locale_selector=select_locale)
    app.before_request(_remember_choice)
    app.context_processor(_context)
    app.jinja_env.filters["parent_date"] = parent_date
    app.jinja_env.filters["parent_datetime"] = parent_datetime
    app.jinja_env.globals["board_of"] = board_of

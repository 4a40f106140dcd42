"""A plugin declared in one object: the core implements its hooks from the declarations.

A protocol plugin is mostly declarations: its case types (states, transitions, start
form, detail model, checklist, deadlines), permissions, settings, letters, and a few
functions for its panel, its yearly figures and its demo data. Instead of writing a
hook function per declaration, a plugin's package says::

    plugin = Plugin("meldcode", __name__, case_types=[TYPE], permissions=[...], ...)

and its entry point names that object (``meldcode = "plugins.meldcode:plugin"``).
pluggy registers the object like a module of hook implementations. A plugin that
needs a hook this object does not offer can still write ``@hookimpl`` functions in a
module of its own; both ways use the same hooks (``portal/hookspecs.py``).
"""

import importlib
import os

from flask import Blueprint

from .calls import call
from .declarations import NavItem
from .hookspecs import hookimpl


class Plugin:
    """One plugin: everything it declares, and the hook implementations that hand it over.

    ``slug`` prefixes every name the plugin declares (tables, permissions, settings,
    templates under ``templates/<slug>/``); ``package`` is the plugin's package
    (``__name__``), where the core finds its ``templates/`` and ``migrations/``.
    ``panels``, ``figures``, ``demo``, ``commands``, ``contacts`` and ``plan`` are functions
    called with any of the hook's arguments that they name (``user``, ``school``, ``year``,
    ``cli``).
    """

    def __init__(
        self,
        slug,
        package,
        *,
        title,
        case_types=(),
        permissions=(),
        settings=(),
        documents=(),
        models=(),
        nav=(),
        blueprint=None,
        migrations=True,
        panels=None,
        figures=None,
        demo=None,
        commands=None,
        veto=None,
        after_transition=None,
        contacts=None,
        plan=None,
    ):
        self.slug = slug
        self.__name__ = package  # what the portal's loader and demo look at, as for a module
        self.title = title
        self.case_types = tuple(case_types)
        self.permissions = tuple(permissions)
        self.settings = tuple(settings)
        self.documents = tuple(documents)
        self.models = tuple(models)
        self.nav = tuple(nav)
        self.blueprint = blueprint
        self.migrations = f"{package}.migrations" if migrations is True else migrations
        self.panels = panels
        self.figures = figures
        self.demo = demo
        self.commands = commands
        self.veto = veto
        self.after_transition = after_transition
        self.contacts = contacts
        self.plan = plan

    def __repr__(self):
        return f"<Plugin {self.slug}>"

    def _templates(self):
        folder = os.path.join(os.path.dirname(importlib.import_module(self.__name__).__file__), "templates")
        return folder if os.path.isdir(folder) else None

    # ------------------------------------------------------------------ setup ----

    @hookimpl
    def register_blueprints(self):
        if self.blueprint is None:
            # No pages of its own: a blueprint for its templates (and the core's start pages).
            self.blueprint = Blueprint(self.slug, self.__name__, template_folder=self._templates())
        return [self.blueprint]

    @hookimpl
    def register_models(self):
        models = list(self.models)
        for ct in self.case_types:
            if ct.detail is not None and ct.detail not in models:
                models.append(ct.detail)
        return models

    @hookimpl
    def register_migrations(self):
        return (self.slug, self.migrations) if self.migrations else None

    @hookimpl
    def register_case_types(self):
        return list(self.case_types)

    @hookimpl
    def register_permissions(self):
        return list(self.permissions)

    @hookimpl
    def register_documents(self):
        return list(self.documents)

    @hookimpl
    def register_settings(self):
        return list(self.settings)

    @hookimpl
    def register_commands(self, cli):
        if self.commands is not None:
            call(self.commands, cli=cli)

    @hookimpl
    def demo_data(self, school):
        if self.demo is not None:
            call(self.demo, school=school)

    # ---------------------------------------------------------------- request ----

    @hookimpl
    def nav_items(self, user, school):
        from .cases.starts import endpoint

        items = list(self.nav)
        for ct in self.case_types:
            for start in ct.starts:
                if start.public or start.nav_order is None:
                    continue
                items.append(
                    NavItem(
                        f"{ct.name}.start" if start is ct.start else f"{ct.name}.start.{start.path}",
                        start.nav_label or start.label,
                        endpoint(ct, start),
                        start.permission,
                        order=start.nav_order,
                    )
                )
        return items

    @hookimpl
    def dashboard_panels(self, user, school):
        return list(call(self.panels, user=user, school=school) or ()) if self.panels else []

    # --------------------------------------------------------------- workflow ----

    @hookimpl
    def check_transition(self, case, transition, user):
        if self.veto is None or not case.case_type.startswith(self.slug + "."):
            return None
        return call(self.veto, case=case, transition=transition, user=user, school=case.school)

    @hookimpl
    def case_transitioned(self, case, transition, user, event):
        if self.after_transition is not None and case.case_type.startswith(self.slug + "."):
            call(
                self.after_transition,
                case=case,
                transition=transition,
                user=user,
                event=event,
                school=case.school,
            )

    # --------------------------------------------------------------- register ----

    @hookimpl
    def school_contacts(self, school):
        return list(call(self.contacts, school=school) or ()) if self.contacts else []

    # ----------------------------------------------------------------- report ----

    @hookimpl
    def annual_report(self, school, year, user):
        return list(call(self.figures, school=school, year=year, user=user) or ()) if self.figures else []

    @hookimpl
    def plan_section(self, school):
        return list(call(self.plan, school=school) or ()) if self.plan else []

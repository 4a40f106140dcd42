"""Everything the plugins declared, collected and validated once at start-up."""

from dataclasses import replace

from flask import current_app

from .declarations import STAFF_ROLES
from .plugins import PluginError
from .plugins import collect
from .plugins import results_by_plugin

SETTING_KINDS = ("text", "textarea", "int", "email", "bool", "url")


class Registry:
    def __init__(self, pm):
        self.pm = pm
        self.plugin_slugs = sorted(n for n, _ in pm.list_name_plugin() if n != "portal")
        self.permissions = {}
        self.permission_owner = {}
        for slug, p in collect(pm, "register_permissions"):
            self.permissions[p.name] = p
            self.permission_owner[p.name] = slug
            for role in p.default_roles:
                if role not in STAFF_ROLES:
                    raise PluginError(f"permission {p.name}: unknown role {role!r}")
        self.case_types = {}
        self.case_type_owner = {}
        for slug, ct in collect(pm, "register_case_types"):
            self._validate_case_type(ct)
            self.case_types[ct.name] = ct
            self.case_type_owner[ct.name] = slug
        prefixes = [ct.prefix for ct in self.case_types.values()]
        if len(prefixes) != len(set(prefixes)):
            raise PluginError(f"case types share a reference prefix: {prefixes}")
        self.documents = {}
        for _slug, d in collect(pm, "register_documents"):
            if d.case_type not in self.case_types:
                raise PluginError(f"document {d.name}: unknown case type {d.case_type!r}")
            if not d.permission:  # for whoever handles cases of its type
                d = replace(d, permission=self.case_types[d.case_type].handle_permission)
            self._need_permission(d.permission, f"document {d.name}")
            self.documents[d.name] = d
        self.models = {}
        for slug, models in results_by_plugin(pm, "register_models"):
            for model in models or ():
                table = model._meta.table_name
                if not table.startswith(slug + "_"):
                    raise PluginError(f"plugin {slug!r}: table {table!r} must start with '{slug}_'")
                self.models[table] = model
        self.settings = {}
        self.setting_owner = {}
        for slug, s in collect(pm, "register_settings"):
            self.settings[s.name] = s
            self.setting_owner[s.name] = slug
            if s.kind not in SETTING_KINDS:
                raise PluginError(f"setting {s.name}: unknown kind {s.kind!r}")
        from .retention import years_after_left_settings  # here: retention imports the registry's users

        for slug, s in years_after_left_settings(self.case_types, self.case_type_owner):
            self.settings[s.name] = s
            self.setting_owner[s.name] = slug

    def state_choices(self, case_types):
        """(name, title) of the states of these case types, each name once, for the
        status filter of the case list."""
        return list({s.name: s.title for name in case_types for s in self.case_types[name].states}.items())

    def _need_permission(self, name, where):
        if name not in self.permissions:
            raise PluginError(f"{where}: unknown permission {name!r}")

    def _validate_case_type(self, ct):
        states = [s.name for s in ct.states]
        if len(states) != len(set(states)):
            raise PluginError(f"case type {ct.name}: duplicate state names")
        if ct.initial not in states:
            raise PluginError(f"case type {ct.name}: initial state {ct.initial!r} is unknown")
        names = [t.name for t in ct.transitions]
        if len(names) != len(set(names)):
            raise PluginError(f"case type {ct.name}: duplicate transition names")
        for t in ct.transitions:
            for s in (*t.sources, t.target):
                if s not in states:
                    raise PluginError(
                        f"case type {ct.name}: transition {t.name} points to unknown state {s!r}"
                    )
            self._need_permission(t.permission, f"transition {t.name}")
        self._need_permission(ct.view_permission, f"case type {ct.name}")
        if ct.handle_permission:
            self._need_permission(ct.handle_permission, f"case type {ct.name}")
        paths = [s.path for s in ct.starts]
        if len(paths) != len(set(paths)):
            raise PluginError(f"case type {ct.name}: two starts at the same path")
        for s in ct.starts:
            if s.permission:
                self._need_permission(s.permission, f"case type {ct.name}: start {s.path!r}")
            if s.follow_up_only and not s.follows:
                raise PluginError(f"case type {ct.name}: start {s.path!r} follows nothing (follow_up_only)")
        for s in ct.more_starts:
            if s.public or not s.permission:
                raise PluginError(f"case type {ct.name}: start {s.path!r} of more_starts needs a permission")
        for d in ct.deadlines:
            if d.start != "created" and d.start not in names:
                raise PluginError(f"deadline {d.name}: unknown start transition {d.start!r}")
            for m in d.met_by:
                if m not in names:
                    raise PluginError(f"deadline {d.name}: unknown transition {m!r}")
        items = [c.name for c in ct.checklist]
        if len(items) != len(set(items)):
            raise PluginError(f"case type {ct.name}: duplicate checklist items")
        for column in ct.search_columns:
            if ct.detail is None or column not in ct.detail._meta.fields:
                raise PluginError(f"case type {ct.name}: search column {column!r} is not a detail column")

    def owner_of_case_type(self, name):
        return self.case_type_owner[name]


def get_registry():
    return current_app.extensions["portal"]


def get_pm():
    return current_app.extensions["portal"].pm

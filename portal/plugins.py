"""Finding, loading and validating plugins.

Built-in plugins are found exactly like third-party ones: through the
setuptools entry-point group ``ENTRY_POINT_GROUP``. A plugin that fails to
import is logged and skipped; ``check_pending()`` makes a misspelled hook fail
loudly; names are checked against the slug.
"""

import logging
import os
import sys
from importlib.metadata import entry_points

import pluggy

from . import hookspecs

ENTRY_POINT_GROUP = "veiligheidsportaal.plugins"

log = logging.getLogger(__name__)


class PluginError(RuntimeError):
    pass


def _trace(pm):
    # PORTAL_TRACE_PLUGINS=1 prints every hook call (like DATASETTE_TRACE_PLUGINS).
    def before(hook_name, hook_impls, kwargs):
        print(f"hook {hook_name} -> {[i.plugin_name for i in hook_impls]}", file=sys.stderr)

    def after(outcome, hook_name, hook_impls, kwargs):
        pass

    pm.add_hookcall_monitoring(before, after)


def make_manager(only=None, extra=()):
    """Build the plugin manager.

    ``only``: slugs to load (None: every installed plugin); ``extra``: modules
    registered directly (used by tests for in-tree test plugins).
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if only is not None and ep.name not in only:
            continue
        if pm.has_plugin(ep.name):
            continue
        try:
            module = ep.load()
        except Exception:  # a broken plugin must not take the portal down
            log.exception("plugin %s could not be loaded and is skipped", ep.name)
            continue
        pm.register(module, name=ep.name)
    for module in extra:
        pm.register(module, name=getattr(module, "SLUG", module.__name__.rsplit(".", 1)[-1]))
    pm.check_pending()
    if os.environ.get("PORTAL_TRACE_PLUGINS"):
        _trace(pm)
    return pm


def flatten(results):
    out = []
    for r in results:
        if r:
            out.extend(r)
    return out


def slugs(pm):
    return sorted(name for name, _ in pm.list_name_plugin() if name != "portal")


def _check_prefix(kind, name, slug):
    if not name.startswith(slug + "."):
        raise PluginError(f"{kind} {name!r} of plugin {slug!r} must start with '{slug}.'")


def collect(pm, hook_name, only=None, **kwargs):
    """Call a collection hook and return [(slug, item), ...], checking name prefixes.

    ``only``: call just these plugins (the core's own hooks always run).
    """
    hook = getattr(pm.hook, hook_name)
    trace = os.environ.get("PORTAL_TRACE_PLUGINS")
    out = []
    for impl in hook.get_hookimpls():
        slug = impl.plugin_name
        if only is not None and slug != "portal" and slug not in only:
            continue
        if trace:
            print(f"hook {hook_name} -> {slug}", file=sys.stderr)
        result = impl.function(**{k: kwargs[k] for k in impl.argnames if k in kwargs})
        for item in result or ():
            if slug != "portal":
                _check_prefix(hook_name, item.name, slug)
            out.append((slug, item))
    seen = set()
    for _, item in out:
        if item.name in seen:
            raise PluginError(f"{hook_name}: duplicate name {item.name!r}")
        seen.add(item.name)
    return out

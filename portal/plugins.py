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
        pm.register(declared(module), name=ep.name)
    for module in extra:
        pm.register(declared(module), name=getattr(module, "SLUG", module.__name__.rsplit(".", 1)[-1]))
    pm.check_pending()
    if os.environ.get("PORTAL_TRACE_PLUGINS"):
        _trace(pm)
    return pm


def declared(module):
    """What to register for a plugin: the ``Plugin`` object its package declares as
    ``plugin`` (see portal/declared.py), or else the module with its ``@hookimpl``
    functions."""
    from .declared import Plugin

    obj = getattr(module, "plugin", None)
    return obj if isinstance(obj, Plugin) else module


def slugs(pm):
    return sorted(name for name, _ in pm.list_name_plugin() if name != "portal")


def _check_prefix(kind, name, slug):
    if not name.startswith(slug + "."):
        raise PluginError(f"{kind} {name!r} of plugin {slug!r} must start with '{slug}.'")


def _subset(pm, hook_name, keep):
    """pluggy's own caller of ``hook_name`` for just the plugins named in ``keep``
    (so tryfirst/trylast and wrappers behave as pluggy defines them). Kept per set."""
    cache = pm.__dict__.setdefault("_portal_subsets", {})
    registered = pm.list_name_plugin()
    key = (hook_name, keep, frozenset(name for name, _ in registered))  # a plugin added later
    if key not in cache:
        drop = [plugin for name, plugin in registered if name not in keep]
        cache[key] = pm.subset_hook_caller(hook_name, remove_plugins=drop)
    return cache[key]


def implementers(pm, hook_name):
    """The names of the plugins implementing ``hook_name``, in pluggy's call order."""
    hook = getattr(pm.hook, hook_name)
    impls = [i for i in hook.get_hookimpls() if not (i.hookwrapper or i.wrapper)]
    return [i.plugin_name for i in reversed(impls)]


def results_by_plugin(pm, hook_name, **kwargs):
    """[(plugin name, its result)] of a setup hook, each plugin called through pluggy on its
    own, in pluggy's order: the core validates at start-up who declared what."""
    out = []
    for name in implementers(pm, hook_name):
        results = _subset(pm, hook_name, frozenset((name,)))(**kwargs)
        if isinstance(results, list):  # a firstresult hook returns one value
            out.extend((name, r) for r in results)
        else:
            out.append((name, results))
    return out


def collect(pm, hook_name, only=None, **kwargs):
    """Call a collection hook and return [(slug, item), ...], checking name prefixes.

    At start-up (``only`` None) each plugin is called on its own so that every item is
    checked against the plugin that returned it. At request time (``only``: the
    school's enabled plugins; the core's own implementations always run) the hook is
    called once, through pluggy, and each item's name must start with one of the
    called plugins' slugs."""
    if only is None:
        # Declarations in plugin order (the core first), whatever order pluggy calls in.
        by_plugin = sorted(
            results_by_plugin(pm, hook_name, **kwargs), key=lambda pair: (pair[0] != "portal", pair[0])
        )
        pairs = [(slug, item) for slug, items in by_plugin for item in items or ()]
        for slug, item in pairs:
            if slug != "portal":
                _check_prefix(hook_name, item.name, slug)
    else:
        keep = frozenset(only) | {"portal"}
        pairs = []
        for items in _subset(pm, hook_name, keep)(**kwargs):
            for item in items or ():
                slug = item.name.split(".", 1)[0]
                if slug not in keep:
                    raise PluginError(
                        f"{hook_name}: {item.name!r} does not start with the slug of a plugin enabled here"
                    )
                pairs.append((slug, item))
    seen = set()
    for _, item in pairs:
        if item.name in seen:
            raise PluginError(f"{hook_name}: duplicate name {item.name!r}")
        seen.add(item.name)
    return pairs

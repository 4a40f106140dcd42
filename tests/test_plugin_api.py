"""The built-in plugins use the core only through its public API (portal.api), and never
write the core's tables: a case changes only through the engine's functions."""

import ast
import re
from pathlib import Path

import pytest

from portal import api

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = sorted(p for p in (ROOT / "plugins").iterdir() if (p / "__init__.py").exists())
SOURCES = [(plugin.name, path) for plugin in PLUGINS for path in sorted(plugin.rglob("*.py"))]
CORE_TABLES = {
    "Case",
    "CaseChecklistItem",
    "CaseDeadline",
    "CaseDocument",
    "CaseEvent",
    "CaseExclusion",
    "CasePupil",
    "School",
    "User",
}
WRITES = {
    "create",
    "insert",
    "insert_many",
    "update",
    "delete",
    "delete_instance",
    "save",
    "replace",
    "get_or_create",
}


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []


@pytest.mark.parametrize("plugin, path", SOURCES, ids=lambda v: str(v).split("plugins/")[-1])
def test_plugins_import_the_core_only_through_portal_api(plugin, path):
    tree = ast.parse(path.read_text())
    wrong = []
    for line, module, names in _imports(tree):
        if module == "portal" and set(names) <= {"api"}:
            continue
        if module == "portal.api":
            unknown = set(names) - set(api.__all__)
            assert not unknown, f"{path}:{line}: portal.api has no {unknown}"
            continue
        if module == "portal" or module.startswith("portal."):
            wrong.append(f"{path.relative_to(ROOT)}:{line}: from {module} import {', '.join(names)}")
    assert wrong == []


@pytest.mark.parametrize("plugin, path", SOURCES, ids=lambda v: str(v).split("plugins/")[-1])
def test_plugins_never_write_core_tables(plugin, path):
    tree = ast.parse(path.read_text())
    wrong = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target, method = node.func.value, node.func.attr
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name in CORE_TABLES and method in WRITES:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}.{method}(...)")
    assert wrong == []


def test_every_name_of_the_api_is_documented():
    docs = (ROOT / "docs" / "plugins.md").read_text()
    missing = [name for name in api.__all__ if not re.search(rf"`{re.escape(name)}[`(.]", docs)]
    assert missing == [], f"docs/plugins.md does not describe: {missing}"

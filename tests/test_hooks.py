"""Every hook is documented in docs/plugins.md and exercised by a test (like Datasette's check)."""

import inspect
from pathlib import Path

import pytest

from portal import hookspecs

ROOT = Path(__file__).resolve().parent.parent
HOOKS = sorted(
    name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(fn, "veiligheidsportaal_spec")
)


def test_there_are_hooks():
    assert "register_case_types" in HOOKS and len(HOOKS) >= 14


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook):
    docs = (ROOT / "docs" / "plugins.md").read_text()
    assert f"### `{hook}`" in docs, f"docs/plugins.md lacks a section for {hook}"
    fn = getattr(hookspecs, hook)
    assert fn.__doc__ and fn.__doc__.strip().splitlines()[0].startswith(("Return", "React", "Add"))


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook):
    """Some test module other than this one implements or calls the hook."""
    sources = [
        p.read_text() for p in (ROOT / "tests").rglob("*.py")
        if p.name != "test_hooks.py" and "example_plugin" not in p.parts
    ]
    sources.append((ROOT / "tests" / "example_plugin" / "portal_voorbeeld" / "__init__.py").read_text())
    assert any(hook in s for s in sources), f"no test exercises the hook {hook}"

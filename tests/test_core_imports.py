"""The core's modules import each other at the top, in one direction: access → audit →
sessions → mfa → auth (no circle held together by imports inside functions)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERED = ("access", "audit", "sessions", "mfa", "auth")


@pytest.mark.parametrize("module", LAYERED)
def test_no_import_of_these_modules_inside_functions(module):
    tree = ast.parse((ROOT / "portal" / f"{module}.py").read_text())
    inside = [
        (node.name, imp.module)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        for imp in ast.walk(node)
        if isinstance(imp, ast.ImportFrom) and imp.level == 1 and imp.module in LAYERED
    ]
    assert inside == []


@pytest.mark.parametrize("module", LAYERED)
def test_each_imports_on_its_own(module):
    """Imported first, in a fresh interpreter: no circle that only works in one order."""
    done = subprocess.run(
        [sys.executable, "-c", f"import portal.{module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr

"""The public API is small, documented, and importing it is light and safe."""

from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import hazard_rules

SRC = Path(hazard_rules.__file__).parent


def test_public_names() -> None:
    assert sorted(hazard_rules.__all__) == [
        "Catalog", "CompileError", "Diagnostic", "Edition", "Engine", "Evidence", "FactDef",
        "Finding", "HazardRulesError", "Missing", "NoEditionError", "RecordIssue", "Rule",
        "RulesetError", "Rulesets", "Status", "Unassessed", "Undetermined", "Verdict",
        "__version__", "bundled_rulesets_path", "explain", "load_rulesets",
        "verdict_json_schema"]
    for name in hazard_rules.__all__:
        obj = getattr(hazard_rules, name)
        if callable(obj) and not isinstance(obj, type(hazard_rules.Missing)):
            assert obj.__doc__, f"{name} has no docstring"


def test_errors_share_one_root() -> None:
    for cls in (hazard_rules.RulesetError, hazard_rules.CompileError,
                hazard_rules.NoEditionError):
        assert issubclass(cls, hazard_rules.HazardRulesError)


def test_import_is_light() -> None:
    code = ("import sys, hazard_rules; "
            "print(sorted(m for m in ('polars', 'pyarrow', 'durable', 'pandas', 'numpy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def _calls(name: str) -> list[str]:
    found = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id == name:
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_no_rule_text_reaches_eval_or_exec() -> None:
    # the only exec runs the generated module after safety.verify(); there is no eval
    assert _calls("eval") == []
    [exec_site] = _calls("exec")
    assert exec_site.startswith("backends/python/__init__.py:")
    source = (SRC / "backends" / "python" / "__init__.py").read_text(encoding="utf-8")
    assert source.index("verify(source)") < source.index("exec(code, namespace)")


MODULES = sorted(m.name for m in pkgutil.walk_packages([str(SRC)], "hazard_rules.")
                 if not m.name.endswith("__main__"))


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module: str) -> None:
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0

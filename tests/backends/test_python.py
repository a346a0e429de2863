from __future__ import annotations

import ast
import dataclasses
import traceback
from collections.abc import Callable

import pytest

import hazard_rules as hr
from hazard_rules import ir
from hazard_rules.backends import get_backend
from hazard_rules.backends.python import PythonBackend
from hazard_rules.backends.python.safety import UnsafeCodeError, verify
from hazard_rules.build import compile_condition
from hazard_rules.errors import HazardRulesError
from hazard_rules.lang.checker import Scope
from hazard_rules.typesys import BOOL, STR
from tests.strategies import edition_of


def test_generated_source_is_stable(demo_rulesets: hr.Rulesets,
                                    golden: Callable[[str, str], None]) -> None:
    source = PythonBackend().compile(demo_rulesets.edition("demo-2023")).source
    golden("codegen/demo-2023.py.txt", source)


def test_generated_source_is_valid_python_with_one_function(demo_rulesets: hr.Rulesets) -> None:
    for ed in demo_rulesets:
        tree = ast.parse(PythonBackend().compile(ed).source)
        assert [type(n).__name__ for n in tree.body if not isinstance(n, ast.Assign)] == [
            "FunctionDef"]


def test_statuses_for_a_record(demo_rulesets: hr.Rulesets) -> None:
    compiled = PythonBackend().compile(demo_rulesets.edition("demo-2023"))
    facts = {"enterprise.sector": "workshop", "enterprise.scopes": ("gas",),
             "plant.alarm_installed": True, "plant.alarm_linked": False,
             "plant.seal_pressure": 31.0}
    # 1.1 TRUE, 1.2 FALSE, the rest UNKNOWN for lack of facts
    assert compiled.evaluate(facts) == (2, 0, 1, 1, 1, 1, 1, 1)
    assert compiled.evaluate({**facts, "enterprise.scopes": ()})[1] == 3  # not applicable
    assert compiled.evaluate({**facts, "enterprise.sector": "farm"}) is None


def test_tracebacks_show_generated_lines(demo_rulesets: hr.Rulesets) -> None:
    compiled = PythonBackend().compile(demo_rulesets.edition("demo-2023"))
    with pytest.raises(TypeError) as info:  # a wrongly typed value reaching the code
        compiled.evaluate({"enterprise.sector": "workshop", "plant.load": "heavy",
                           "plant.rated_load": 1.0})
    frames = traceback.extract_tb(info.value.__traceback__)
    generated = [f for f in frames if f.filename == "<hazard-rules demo-2023>"]
    assert generated, "the generated module is named in the traceback"
    assert generated[-1].line and "2 if " in generated[-1].line  # its source line is shown


def _edition_with(when: ir.Expr, **rule_changes: object) -> hr.Edition:
    ed = edition_of([when])
    rule = dataclasses.replace(ed.rules[0], **rule_changes)  # type: ignore[arg-type]
    return dataclasses.replace(ed, rules=(rule,))


def test_rule_text_cannot_inject_code() -> None:
    nasty = "x\nimport os\nos.system('echo pwned')\r#"
    when = ir.Fact("u.a", BOOL)
    ed = dataclasses.replace(_edition_with(when, article=nasty, when_source=nasty, id="p/1"),
                             title=nasty, id="prop")
    source = PythonBackend().compile(ed).source
    assert "import" not in "".join(
        line for line in source.splitlines() if not line.lstrip().startswith("#"))
    assert all(line.lstrip().startswith("#") for line in source.splitlines()
               if "pwned" in line)


def test_string_literals_are_embedded_safely() -> None:
    payload = 'a"); import os; ("\\\n\''
    cond, problems = compile_condition(
        'u.name == "' + payload.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
        + '"', Scope({"u.name": STR}))
    assert not problems and cond is not None
    compiled = PythonBackend().compile(edition_of([cond]))
    value = cond.right.value  # type: ignore[union-attr]
    assert compiled.evaluate({"u.name": value}) == (2,)
    assert compiled.evaluate({"u.name": "other"}) == (0,)


@pytest.mark.parametrize(
    "snippet",
    [
        "import os\ndef evaluate(facts):\n    return None",
        "def evaluate(facts):\n    return __import__('os')",
        "def evaluate(facts):\n    return facts.__class__",
        "def evaluate(facts):\n    return open('/etc/passwd')",
        "def evaluate(facts):\n    return (lambda: 1)()",
        "def evaluate(facts):\n    return [x for x in facts]",
        "def evaluate(facts):\n    global g\n    return g",
        "def evaluate(facts):\n    return eval('1')",
        "def other(facts):\n    return None",
        "@staticmethod\ndef evaluate(facts):\n    return None",
    ],
)
def test_verifier_rejects_anything_outside_the_whitelist(snippet: str) -> None:
    with pytest.raises(UnsafeCodeError):
        verify(snippet)


def test_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(HazardRulesError, match="unknown backend 'jvm'; available: python"):
        get_backend("jvm")

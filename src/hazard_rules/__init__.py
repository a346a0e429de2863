"""hazard-rules: China's major-accident-hazard judgment standards as tested rulesets.

Load the bundled rulesets, classify inspection records, read the verdicts:

>>> import hazard_rules as hr
>>> engine = hr.Engine()
>>> verdict = engine.classify({
...     "record_id": "R-0001", "inspected_on": "2024-06-01",
...     "enterprise": {"sector": "light_industry", "scopes": ["ammonia_refrigeration"]},
...     "facts": {"ammonia": {"quick_freeze_equipment": True,
...                           "quick_freeze_in_separate_room": True,
...                           "quick_freeze_room_workers": 12}}})
>>> verdict.status
<Status.MAJOR: 'major'>
>>> verdict.fired
('gongmao-2023/12.2',)
>>> print(engine.explain(verdict).splitlines()[1])
结论：存在重大事故隐患（1 项）
"""

from hazard_rules.build import bundled_rulesets_path, load_rulesets
from hazard_rules.engine import Engine, Missing
from hazard_rules.errors import (
    CompileError,
    Diagnostic,
    HazardRulesError,
    NoEditionError,
    RulesetError,
)
from hazard_rules.explain import explain
from hazard_rules.model import Catalog, Edition, FactDef, Rule, Rulesets
from hazard_rules.records import RecordIssue
from hazard_rules.verdict import (
    Evidence,
    Finding,
    Status,
    Unassessed,
    Undetermined,
    Verdict,
    verdict_json_schema,
)

__version__ = "0.1.0"

__all__ = [
    "Catalog",
    "CompileError",
    "Diagnostic",
    "Edition",
    "Engine",
    "Evidence",
    "FactDef",
    "Finding",
    "HazardRulesError",
    "Missing",
    "NoEditionError",
    "RecordIssue",
    "Rule",
    "RulesetError",
    "Rulesets",
    "Status",
    "Unassessed",
    "Undetermined",
    "Verdict",
    "__version__",
    "bundled_rulesets_path",
    "explain",
    "load_rulesets",
    "verdict_json_schema",
]

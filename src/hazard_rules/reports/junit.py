"""JUnit XML reports, the format every CI system shows as a test summary.

A report is a list of :class:`Suite` of :class:`TestCase`; a case fails with a
message and details, or is skipped with a reason (``todo`` cases). The XML follows
the common schema that Jenkins, GitLab, GitHub test reporters and Azure read:
``<testsuites>`` with ``tests``/``failures``/``skipped`` counts, ``<testsuite>``,
``<testcase classname name file line>``, ``<failure message>``, ``<skipped message>``.

>>> xml = junit_xml([Suite("demo-2023", [TestCase("alarm-ok", "demo-2023"),
...                  TestCase("seal-low", "demo-2023", failure="expected demo-2023/1.2 to fire")])])
>>> print(xml.splitlines()[1])
<testsuites name="hazard-rules" tests="2" failures="1" errors="0" skipped="0">
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Suite", "TestCase", "junit_xml"]


@dataclass
class TestCase:
    """One test: passed unless it has a ``failure`` (message) or is ``skipped`` (reason)."""

    __test__ = False  # not a pytest class

    name: str
    classname: str
    failure: str | None = None
    details: str = ""
    skipped: str | None = None
    file: str | None = None
    line: int | None = None
    output: str = ""


@dataclass
class Suite:
    """A named group of test cases (an edition, or the rule coverage)."""

    name: str
    cases: list[TestCase] = field(default_factory=list)


def junit_xml(suites: Sequence[Suite], name: str = "hazard-rules") -> str:
    """Serialise ``suites`` as a JUnit XML document (UTF-8, with declaration)."""
    root = ET.Element("testsuites", name=name)
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for suite in suites:
        failures = sum(c.failure is not None for c in suite.cases)
        skipped = sum(c.skipped is not None and c.failure is None for c in suite.cases)
        el = ET.SubElement(root, "testsuite", name=suite.name, tests=str(len(suite.cases)),
                           failures=str(failures), errors="0", skipped=str(skipped))
        totals["tests"] += len(suite.cases)
        totals["failures"] += failures
        totals["skipped"] += skipped
        for case in suite.cases:
            attrs = {"classname": case.classname, "name": case.name, "time": "0"}
            if case.file is not None:
                attrs["file"] = case.file
            if case.line is not None:
                attrs["line"] = str(case.line)
            tc = ET.SubElement(el, "testcase", attrs)
            if case.failure is not None:
                f = ET.SubElement(tc, "failure", message=case.failure, type="failure")
                f.text = case.details or case.failure
            elif case.skipped is not None:
                ET.SubElement(tc, "skipped", message=case.skipped)
            if case.output:
                ET.SubElement(tc, "system-out").text = case.output
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(totals["skipped"]))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"

"""``--format junit``: a JUnit XML report for Jenkins (operations-puppet.md §6.4), valid
against the schema Jenkins' xunit plugin checks every file against (``junit-10.xsd``: xunit
skips a file that is not valid) and read by Jenkins' ``junit`` step as well.

``<testsuites name="mwlint">`` holds one ``<testsuite name="<path>" file="<path>">`` per
file (the files with findings, and the linted files without), in path order. Each finding
is a ``<testcase classname="<path>" name="<CODE> <yaml_path>">``: with a ``<failure>`` when
the finding reaches the failure threshold (``--fail-on``, default ``error``), else with
``<skipped>`` (so warnings and infos are visible without failing the build). Each linted
file without findings is one passing testcase. A run with no testcase at all (no file holds
a deployments key) still has one passing testcase, ``mwlint`` in a suite ``mwlint``: Jenkins'
``junit`` step refuses a report without tests unless ``allowEmptyResults`` is set. Paths
are repository-relative. No timestamps and every duration 0: the output is deterministic.
The ``<testsuites>`` element carries only what the schema allows (no ``skipped``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mwlint import __version__
from mwlint.formats.xml_text import xml_safe
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, List, Tuple

CLEAN_TESTCASE = "mwlint"
EMPTY_SUITE = "mwlint"


def _case_name(f: Any, seen: Dict[Tuple[str, str], int]) -> str:
    name = f"{f.code} {f.yaml_path}" if f.yaml_path else f"{f.code} line {f.line}"
    key = (f.path, name)
    seen[key] = seen.get(key, 0) + 1
    if seen[key] > 1:  # Jenkins merges testcases with equal names: keep each visible
        name = f"{name} ({f.line}:{f.column})"
    return name


def _finding_case(f: Any, name: str, failing: bool) -> ET.Element:
    where = f"{f.path}:{f.line}:{f.column}"
    case = ET.Element("testcase", classname=xml_safe(f.path), name=xml_safe(name), time="0")
    text = f"{where}: {f.severity} {f.code} {f.name}: {f.message}"
    if f.help:
        text += f"\nhelp: {f.help}"
    if f.yaml_path:
        text += f"\n{f.path_label}: {f.yaml_path}"
    if failing:
        el = ET.SubElement(case, "failure", type=f"{f.code} {f.name}",
                           message=xml_safe(f"{where}: {f.message}"))
    else:
        el = ET.SubElement(case, "skipped", type=f"{f.code} {f.name}",
                           message=xml_safe(f"{where}: {f.severity}: {f.message}"))
    el.text = xml_safe(text)
    return case


def render(report: Any, **_options: Any) -> str:
    # path -> [(line, column, testcase, failing)]
    by_path: Dict[str, List[Tuple[int, int, ET.Element, int]]] = {}
    seen: Dict[Tuple[str, str], int] = {}
    for f in report.findings:
        failing = report.reaches_threshold(f)
        case = _finding_case(f, _case_name(f, seen), failing)
        by_path.setdefault(f.path, []).append((f.line, f.column, case, 1 if failing else 2))
    for path in report.clean_paths():
        by_path.setdefault(path, []).append(
            (0, 0, ET.Element("testcase", classname=xml_safe(path), name=CLEAN_TESTCASE,
                              time="0"), 0))
    empty = not by_path
    if empty:  # never an empty report: one passing testcase says the run was clean
        by_path[EMPTY_SUITE] = [(0, 0, ET.Element("testcase", classname=EMPTY_SUITE,
                                                  name=CLEAN_TESTCASE, time="0"), 0)]
    root = ET.Element("testsuites", name="mwlint")
    totals = {"tests": 0, "failures": 0}
    for path in sorted(by_path):
        cases = sorted(by_path[path], key=lambda c: (c[0], c[1]))
        failures = sum(1 for c in cases if c[3] == 1)
        skipped = sum(1 for c in cases if c[3] == 2)
        suite = ET.SubElement(root, "testsuite", name=xml_safe(path), tests=str(len(cases)),
                              failures=str(failures), errors="0", skipped=str(skipped),
                              time="0")
        if not empty:
            suite.set("file", xml_safe(path))
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="mwlint.version", value=__version__)
        ET.SubElement(props, "property", name="mwlint.fail-on", value=report.fail_on)
        for _line, _column, case, _kind in cases:
            suite.append(case)
        totals["tests"] += len(cases)
        totals["failures"] += failures
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("time", "0")
    _indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _indent(el: ET.Element, level: int = 0) -> None:
    """Pretty-print in place (``ET.indent`` is Python 3.9+ but keep text nodes untouched)."""
    pad = "\n" + "  " * (level + 1)
    children = list(el)
    if children:
        if not (el.text or "").strip():
            el.text = pad
        for child in children:
            _indent(child, level + 1)
            child.tail = pad
        children[-1].tail = "\n" + "  " * level

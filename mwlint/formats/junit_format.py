"""``--format junit``: a JUnit XML report for Jenkins' xunit publisher (operations-puppet.md §6.4).

One ``<testsuite name="mwlint">``. Each finding is a ``<testcase classname="<path>"
name="<CODE> <yaml_path>">``: with a ``<failure>`` when the finding reaches the failure
threshold (``--fail-on``, default ``error``), else with ``<skipped>`` (so warnings and infos
are visible without failing the build). Each linted file without findings is one passing
testcase, so a clean run still shows a non-empty test report. Paths are repository-relative.
No timestamps or durations: the output is deterministic.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Dict

from mwlint import __version__
from mwlint.formats.xml_text import xml_safe

CLEAN_TESTCASE = "mwlint"


def _case_name(f, seen: Dict[tuple, int]) -> str:
    name = f"{f.code} {f.yaml_path}" if f.yaml_path else f"{f.code} line {f.line}"
    key = (f.path, name)
    seen[key] = seen.get(key, 0) + 1
    if seen[key] > 1:  # Jenkins merges testcases with equal names: keep each visible
        name = f"{name} ({f.line}:{f.column})"
    return name


def render(report, **_options) -> str:
    failures = skipped = 0
    suite = ET.Element("testsuite", name="mwlint")
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="mwlint.version", value=__version__)
    ET.SubElement(props, "property", name="mwlint.fail-on", value=report.fail_on)
    seen: Dict[tuple, int] = {}
    cases = []
    for f in report.findings:
        where = f"{f.path}:{f.line}:{f.column}"
        case = ET.Element("testcase", classname=xml_safe(f.path),
                          name=xml_safe(_case_name(f, seen)), time="0")
        text = f"{where}: {f.severity} {f.code} {f.name}: {f.message}"
        if f.help:
            text += f"\nhelp: {f.help}"
        if f.yaml_path:
            text += f"\n{f.path_label}: {f.yaml_path}"
        if report.reaches_threshold(f):
            failures += 1
            el = ET.SubElement(case, "failure", type=f"{f.code} {f.name}",
                               message=xml_safe(f"{where}: {f.message}"))
        else:
            skipped += 1
            el = ET.SubElement(case, "skipped", type=f"{f.code} {f.name}",
                               message=xml_safe(f"{where}: {f.severity}: {f.message}"))
        el.text = xml_safe(text)
        cases.append((f.path, f.line, f.column, case))
    for path in report.clean_paths():
        cases.append((path, 0, 0, ET.Element("testcase", classname=xml_safe(path),
                                             name=CLEAN_TESTCASE, time="0")))
    cases.sort(key=lambda c: c[:3])
    for *_key, case in cases:
        suite.append(case)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0",
              "skipped": str(skipped), "time": "0"}
    for k, v in counts.items():
        suite.set(k, v)
    root = ET.Element("testsuites", {"name": "mwlint", **counts})
    root.append(suite)
    _indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _indent(el, level: int = 0) -> None:
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

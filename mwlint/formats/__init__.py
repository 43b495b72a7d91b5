"""Step 7: formatters. They receive findings (and rule metadata), nothing else.

Each format is a module ``mwlint/formats/<name>_format.py`` with ``render(report, **options)``
returning the whole document as a string. :func:`render` also turns paths into
repository-relative ones for the formats that code-review and CI systems consume.
"""

from __future__ import annotations

import importlib

from mwlint.findings import SEVERITY_RANK, Finding
from mwlint.safe_text import safe_name
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Callable, Dict, List, Optional, Tuple

FORMATS = ("text", "json", "sarif", "junit", "github", "gerrit", "html", "gitlab")

# Formats whose paths are relative to the repository root (cli.md "Output formats"):
# that is how code scanning, Jenkins, GitHub, Gerrit and GitLab match a finding to a file.
REPO_RELATIVE = frozenset({"sarif", "junit", "github", "gerrit", "gitlab"})


class Report(NamedTuple):
    findings: List[Finding]  # sorted, already selected
    files: int  # files examined
    linted: int  # files holding a deployments key
    fail_on: str = "error"
    sources: Optional[Dict[str, str]] = None  # path -> text, for snippets
    failed: bool = False
    linted_paths: Tuple[str, ...] = ()  # the files holding a deployments key, in order

    def counts(self) -> Dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            c[f.severity] += 1
        return c

    def reaches_threshold(self, finding: Finding) -> bool:
        """True when ``finding`` is at or above the failure threshold (``--fail-on``)."""
        return SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[self.fail_on]

    def clean_paths(self) -> List[str]:
        """Linted files without any finding, in order."""
        with_findings = {f.path for f in self.findings}
        return [p for p in self.linted_paths if p not in with_findings]


def renderer(name: str) -> Callable[..., str]:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
    mod = importlib.import_module(f"mwlint.formats.{name}_format")
    render: Callable[..., str] = mod.render
    return render


def unavailable(name: str) -> Optional[str]:
    """Why format ``name`` cannot be rendered here (a missing optional dependency), or None."""
    if name == "html":
        try:
            import jinja2  # noqa: F401  (checked before linting, imported lazily)
        except ImportError:
            return "the html format needs jinja2: pip install 'mwlint[html]'"
    return None


def render(name: str, report: Report, root: Optional[str] = None, **options: object) -> str:
    """Render ``report`` as format ``name``; repository-relative paths where the format needs
    them (``root``: the repository root, else the git top level of each file)."""
    if name in REPO_RELATIVE:
        from mwlint.formats.repo_paths import relative_report

        report = relative_report(report, root)
    return renderer(name)(safe_report(report), **options)


def map_paths(report: Report, fn: Callable[[str], str]) -> Report:
    """``report`` with every path (findings, sources, linted files) mapped by ``fn``."""
    findings = sorted((f._replace(path=fn(f.path)) for f in report.findings),
                      key=lambda f: f.sort_key())
    sources = None
    if report.sources is not None:
        sources = {fn(p): text for p, text in report.sources.items()}
    return report._replace(findings=findings, sources=sources,
                           linted_paths=tuple(fn(p) for p in report.linted_paths))


def safe_report(report: Report) -> Report:
    """``report`` with file names that are not UTF-8 (bytes Python holds as lone
    surrogates) written with ``\\xNN`` escapes, in paths and in the messages and help lines that name such
    a file (a baseline, a report): every format can then be encoded, and shows the same name
    (see :func:`mwlint.safe_text.safe_name`)."""
    paths = {f.path for f in report.findings}.union(report.linted_paths)
    if any(safe_name(p) != p for p in paths):
        report = map_paths(report, safe_name)
    if any(safe_name(f.message) != f.message or (f.help and safe_name(f.help) != f.help)
           for f in report.findings):
        report = report._replace(findings=[
            f._replace(message=safe_name(f.message),
                       help=safe_name(f.help) if f.help else f.help)
            for f in report.findings])
    return report

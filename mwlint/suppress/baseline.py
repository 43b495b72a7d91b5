"""Baselines: accept today's findings, report only new ones.

``--write-baseline FILE`` records the findings of a run; ``--baseline FILE`` hides findings
recorded there. A finding is identified by what it is about, never by where it is:

    (path, code, namespace, release, field, hash of the offending value)

from :attr:`Finding.context`, which rules fill with ``(namespace, release, field, value)``.
Paths are stored relative to the baseline file's directory, so the baseline works whatever
the working directory and however the paths were given. Inserting an entry above, moving a
release or re-indenting changes no key, so nothing hidden comes back. A finding without
context (a syntax error, an unreadable file) falls back to its YAML path without list
indexes and its message without digits.

Each key has a count: three identical findings recorded hide three, a fourth is reported.
An entry that matches nothing in a file linted by this run is stale: MW005 (info) at line 1
of that file. Entries for files not linted in the run are left alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import re

from mwlint.atomic_write import write_file
from mwlint.findings import FileResult, Finding, Span
from mwlint.rules import all_rules
from mwlint.rules.base import Rule
from mwlint.rules.core import STALE_BASELINE
from mwlint.safe_text import safe_name
from mwlint.selection import apply_severity, selected_codes
from mwlint.settings import DEFAULT_MAX_FILE_SIZE, Settings
from mwlint.source.bounded import FileTooLarge, read_regular_file
from mwlint.source.depth import JSON_TOKENS, brackets_deeper_than
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

FORMAT_NAME = "mwlint-baseline"
FORMAT_VERSION = 1
STALE_CODE = "MW005"
MAX_DEPTH = 20  # a baseline nests 3 levels

if TYPE_CHECKING:
    Key = Tuple[str, str, Optional[str], Optional[str], Optional[str], str]


class BaselineError(Exception):
    """A baseline file that cannot be used (exit 2)."""


class Baseline(NamedTuple):
    path: str  # as given
    base_dir: str  # absolute directory the stored paths are relative to
    counts: Dict[Key, int]
    messages: Dict[Key, str]


def _text(value: object) -> Optional[str]:
    return None if value is None else str(value)


def value_hash(value: object) -> str:
    if value is None:
        return ""
    data = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def relative_path(path: str, base_dir: str) -> str:
    """The stored form of a path: relative, with ``/``, and valid UTF-8 (a file name whose
    bytes are not UTF-8 gets ``\\xNN`` escapes, the same ones every run)."""
    try:
        rel = os.path.relpath(os.path.abspath(path), base_dir)
    except ValueError:  # another drive
        rel = os.path.abspath(path)
    return safe_name(rel.replace(os.sep, "/"))


def finding_key(f: Finding, base_dir: str) -> Key:
    path = relative_path(f.path, base_dir)
    ctx = tuple(f.context or ())
    if ctx:
        ctx = (ctx + (None, None, None, None))[:4]
        ns, release, field, value = ctx
    else:
        ns = release = None
        field = re.sub(r"\[\d+\]", "[]", f.yaml_path) or None
        value = re.sub(r"\d+", "#", f.message)
    return (path, f.code, _text(ns), _text(release), _text(field), value_hash(value))


# -- writing -------------------------------------------------------------------------------

def baseline_document(findings: Iterable[Finding], baseline_path: str) -> Dict[str, Any]:
    base_dir = os.path.dirname(os.path.abspath(baseline_path))
    counts: Dict[Key, int] = {}
    messages: Dict[Key, str] = {}
    for f in sorted(findings, key=Finding.sort_key):
        if f.code == STALE_CODE:
            continue
        k = finding_key(f, base_dir)
        counts[k] = counts.get(k, 0) + 1
        messages.setdefault(k, safe_name(f.message))
    entries = []
    for k in sorted(counts, key=lambda k: tuple("" if x is None else x for x in k)):
        path, code, ns, release, field, vhash = k
        entries.append({"path": path, "code": code, "namespace": ns, "release": release,
                        "field": field, "value": vhash, "count": counts[k],
                        "message": messages[k]})
    return {FORMAT_NAME: FORMAT_VERSION, "findings": entries}


def write_baseline(path: str, findings: Iterable[Finding]) -> int:
    """Write the baseline (:func:`mwlint.atomic_write.write_file`: atomically, through a
    symlink); returns the number of findings recorded."""
    doc = baseline_document(findings, path)
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    write_file(path, text.encode("utf-8"))
    return sum(e["count"] for e in doc["findings"])


# -- reading -------------------------------------------------------------------------------

def load_baseline(path: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> Baseline:
    """Read a baseline: a regular file of at most ``max_size`` bytes (the run's
    max-file-size), refused before it is read otherwise."""
    try:
        text = read_regular_file(path, max_size).decode("utf-8")
        deep = brackets_deeper_than(text, MAX_DEPTH, JSON_TOKENS)
        if deep is not None:  # json would recurse until RecursionError
            raise BaselineError(f"--baseline: {path}: nested deeper than {MAX_DEPTH} levels "
                                f"(line {deep}): not an mwlint baseline")
        doc = json.loads(text)
    except FileNotFoundError:
        raise BaselineError(f"--baseline: no such file: {path}") from None
    except FileTooLarge as e:
        size = f"{e.size} bytes" if e.size is not None else f"more than {e.limit} bytes"
        raise BaselineError(f"--baseline: {path}: {size}, over the max-file-size limit of "
                            f"{e.limit} bytes (raise --max-file-size if this is intended)"
                            ) from None
    except OSError as e:
        raise BaselineError(f"--baseline: cannot read {path}: {e.strerror or e}") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise BaselineError(f"--baseline: {path}: not JSON: {e}") from None
    if not isinstance(doc, dict) or doc.get(FORMAT_NAME) != FORMAT_VERSION \
            or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"--baseline: {path}: not an mwlint baseline (expected "
                            f"{{\"{FORMAT_NAME}\": {FORMAT_VERSION}, \"findings\": [...]}}, "
                            "as written by --write-baseline)")
    counts: Dict[Key, int] = {}
    messages: Dict[Key, str] = {}
    for i, entry in enumerate(doc["findings"]):
        try:
            k = (str(entry["path"]), str(entry["code"]), _opt(entry["namespace"]),
                 _opt(entry["release"]), _opt(entry["field"]), str(entry["value"]))
            n = entry.get("count", 1)
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise ValueError("count")
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BaselineError(f"--baseline: {path}: findings[{i}]: expected path, code, "
                                "namespace, release, field, value and a positive count"
                                ) from None
        counts[k] = counts.get(k, 0) + n
        messages.setdefault(k, str(entry.get("message", "")))
    return Baseline(path, os.path.dirname(os.path.abspath(path)), counts, messages)


def _opt(value: object) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError
    return value


# -- applying ------------------------------------------------------------------------------

def apply_baseline(results: Sequence[FileResult], baseline: Baseline,
                   settings_for: Optional[Callable[[str], Optional[Settings]]] = None
                   ) -> List[FileResult]:
    """``results`` without the recorded findings, plus MW005 for stale entries of the files
    in ``results`` (where MW005 is selected for that file)."""
    by_path: Dict[str, List[Key]] = {}
    for k in baseline.counts:
        by_path.setdefault(k[0], []).append(k)
    used: Dict[Key, int] = {}
    rule = STALE_BASELINE
    rules = all_rules()
    out = []
    for r in results:
        kept = []
        for f in r.findings:
            k = finding_key(f, baseline.base_dir)
            if used.get(k, 0) < baseline.counts.get(k, 0):
                used[k] = used.get(k, 0) + 1
                continue
            kept.append(f)
        rel = relative_path(r.path, baseline.base_dir)
        stale_keys = [k for k in by_path.get(rel, ()) if used.get(k, 0) < baseline.counts[k]]
        if stale_keys:
            settings = settings_for(r.path) if settings_for is not None else None
            enabled = True
            if settings is not None:
                enabled = STALE_CODE in selected_codes(rules, settings.select, settings.ignore)
            if enabled:
                stale = [_stale_finding(rule, r.path, baseline, k,
                                        baseline.counts[k] - used.get(k, 0))
                         for k in sorted(stale_keys, key=lambda k: tuple(
                             "" if x is None else x for x in k))]
                if settings is not None:
                    stale = apply_severity(stale, settings.severity)
                kept.extend(stale)
                kept.sort(key=Finding.sort_key)
        out.append(r._replace(findings=tuple(kept)))
    return out


def _stale_finding(rule: Rule, path: str, baseline: Baseline, k: Key, n: int) -> Finding:
    _path, code, ns, release, field, vhash = k
    about = []
    if ns is not None:
        about.append(f"namespace {ns!r}")
    if release is not None:
        about.append(f"release {release!r}")
    if field is not None:
        about.append(f"field {field!r}")
    what = ", ".join(about) or "the file"
    count = "entry" if n == 1 else f"entry (×{n})"
    msg = f"stale baseline {count}: {code} at {what} matches no finding any more"
    return rule.finding_at(path, Span(1, 1, 1, 1), msg, context=(ns, release, field, vhash),
                           help=f"rewrite {baseline.path} with --write-baseline to drop it")

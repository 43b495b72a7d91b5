"""Read a build report (``report.json``) and recognise its shape.

The report is what scap matches the deployments config against after the image build
(``deployments-config.md`` §6). Shapes:

* ``current`` (scap d433f559 and later)::

    {"mediawiki": {"flavours": {<flavour>: {"kinds": {<kind>: {"image_name": <ref>}},
                                            "metadata": {...}}}},
     "webserver": {"flavours": {<flavour>: {"kinds": {"image": {"image_name": <ref>}},
                                            "metadata": {...}}}}}

* ``by-flavour`` (4fbe1432 … d433f559): ``<section>.by-flavour.<flavour>.<kind>`` = ref;
* ``flat`` (ddeda7dd … 4fbe1432): ``mediawiki.multiversion-image``,
  ``mediawiki.multiversion-debug-image``, ``webserver.image``.

The document is parsed with :func:`json.loads`; problems are collected as
:class:`ReportProblem` (MW401) with the key path of the node, and turned into a line and a
column only when a finding is made (:mod:`mwlint.report.position`). Nothing here raises for
bad input.
"""

from __future__ import annotations

import json
import os
import stat

from mwlint.findings import Span
from mwlint.locate.locator import yaml_key
from mwlint.report.names import (  # noqa: F401 (re-exported)
    BY_FLAVOUR,
    CURRENT,
    FLAT_MEDIAWIKI,
    FLAT_WEBSERVER,
    LEGACY_BY_FLAVOUR,
    LEGACY_FLAT,
    SECTION_LABEL,
    SECTIONS,
    WEB_KIND,
)
from mwlint.report.position import JsonPositions
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

if TYPE_CHECKING:
    JsonPath = Tuple[str, ...]


class ReportProblem(NamedTuple):
    """One MW401: what is wrong, and where (a key path plus which part of the node)."""

    message: str
    path: JsonPath
    where: str = "value"  # "value", "key", "start", or "at" (explicit line/column)
    line: int = 1
    column: int = 1
    help: Optional[str] = None  # how to fix it


class ReportFlavour(NamedTuple):
    """One flavour of a section, as far as the report defines it."""

    name: str
    path: JsonPath  # key path of the flavour
    # kind -> key path of the kind; None when the flavour's kinds cannot be read (MW401)
    kinds: Optional[Dict[str, JsonPath]]
    images: Dict[str, str]  # kind -> image reference, for the kinds that have a valid one
    metadata: Optional[Dict[str, Any]]


class ReportSection(NamedTuple):
    """``mediawiki`` or ``webserver``."""

    name: str
    # flavour -> ReportFlavour; None when flavours cannot be checked (flat shape, or the
    # section is unusable: MW401 already says why)
    flavours: Optional[Dict[str, ReportFlavour]]
    # flat shape: the kinds every flavour gets (flavours are not in the report)
    any_flavour: Optional[ReportFlavour] = None


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def dotted(path: JsonPath) -> str:
    """A key path as written in findings (``mediawiki.flavours."publish-8.3".kinds``)."""
    return ".".join(yaml_key(p) for p in path)


class BuildReport:
    """A parsed build report: its data, its shape, its problems, and a lookup."""

    def __init__(self, path: str, text: Optional[str], data: Any = None,
                 parsed: bool = False) -> None:
        self.path = path
        self.text = text
        self.data = data
        self.parsed = parsed  # the text is valid JSON
        self.shape: Optional[str] = None  # CURRENT, LEGACY_BY_FLAVOUR, LEGACY_FLAT or None
        self.legacy_path: Optional[JsonPath] = None  # where MW406 points
        self.problems: List[ReportProblem] = []
        self.sections: Dict[str, Optional[ReportSection]] = {s: None for s in SECTIONS}
        self._positions: Optional[JsonPositions] = None

    # -- positions -------------------------------------------------------------------
    @property
    def positions(self) -> JsonPositions:
        if self._positions is None:
            self._positions = JsonPositions(self.text or "")
        return self._positions

    def span(self, path: JsonPath, where: str = "value") -> Span:
        """Line and column of a node; recovered from the text on demand."""
        if self.parsed:
            s = self.positions.span(path, where)
            if s is not None:
                return s
        return Span(1, 1, 1, 2)

    def problem_span(self, problem: ReportProblem) -> Span:
        if problem.where == "at":
            return Span(problem.line, problem.column, problem.line, problem.column + 1)
        return self.span(problem.path, problem.where)

    # -- lookup (what scap does, §6.4) -------------------------------------------------
    @property
    def usable(self) -> bool:
        return any(s is not None for s in self.sections.values())

    def flavour(self, section: str, name: str) -> Optional[ReportFlavour]:
        sec = self.sections.get(section)
        if sec is None:
            return None
        if sec.flavours is None:
            return sec.any_flavour
        return sec.flavours.get(name)

    def image_name(self, section: str, flavour: str, kind: str = "image") -> Optional[str]:
        """The image reference scap would use, or None when the report has none."""
        f = self.flavour(section, flavour)
        return f.images.get(kind) if f is not None else None

    def metadata(self, section: str, flavour: str) -> Optional[Dict[str, Any]]:
        f = self.flavour(section, flavour)
        return f.metadata if f is not None else None

    def flavour_names(self, section: str) -> Tuple[str, ...]:
        sec = self.sections.get(section)
        if sec is None or sec.flavours is None:
            return ()
        return tuple(sec.flavours)

    def __repr__(self) -> str:
        return f"<BuildReport {self.path} {self.shape}>"


# -- reading ----------------------------------------------------------------------------

class ReadProblem(NamedTuple):
    """MW003: the report cannot be read at all."""

    message: str
    line: int = 1
    column: int = 1
    help: Optional[str] = None


def read_report_file(path: str, max_size: int) -> "BuildReport | ReadProblem":
    """Read and parse a report from disk. Never raises for a bad file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return ReadProblem("report vanished after it was listed: nothing was checked")
    except OSError as e:
        return ReadProblem(f"cannot read the report: {e.strerror or e}")
    if stat.S_ISDIR(st.st_mode):
        return ReadProblem("is a directory, not a build report")
    if not stat.S_ISREG(st.st_mode):
        return ReadProblem("not a regular file (a FIFO, device or socket): it is not read")
    if st.st_size > max_size:
        return ReadProblem(_too_big(st.st_size, max_size))
    try:
        with open(path, "rb") as f:
            data = f.read(max_size + 1)
    except FileNotFoundError:
        return ReadProblem("report vanished after it was listed: nothing was checked")
    except OSError as e:
        return ReadProblem(f"cannot read the report: {e.strerror or e}")
    if len(data) > max_size:
        return ReadProblem(_too_big(len(data), max_size))
    return parse_report_bytes(data, path)


def _too_big(size: int, limit: int) -> str:
    return (f"report is {size} bytes, over the max-file-size limit of {limit} bytes, so it is "
            "not read (raise --max-file-size if this is intended)")


def parse_report_bytes(data: bytes, path: str) -> "BuildReport | ReadProblem":
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        return ReadProblem(
            f"the report is not UTF-8: byte 0x{data[e.start]:02x} at offset {e.start} cannot "
            f"be decoded ({e.reason})", line, col, "write it as UTF-8, which scap reads")
    return parse_report_text(text, path)


def parse_report_text(text: str, path: str = "report.json") -> BuildReport:
    """Parse report text and check its shape; problems end up in ``report.problems``."""
    if text.startswith("\ufeff"):
        r = BuildReport(path, text)
        r.problems.append(ReportProblem(
            "the report starts with a UTF-8 byte order mark, which scap's JSON reader rejects",
            (), "at", 1, 1, "write it without a BOM"))
        return r
    if not text.strip():
        r = BuildReport(path, text)
        r.problems.append(ReportProblem(
            "the report is empty: the image build did not finish writing it",
            (), "at", 1, 1, "rerun the build"))
        return r
    try:
        data = json.loads(text)
    except RecursionError:
        r = BuildReport(path, text)
        r.problems.append(ReportProblem(
            "the report is nested too deeply to be read: it is not a build report",
            (), "at", 1, 1))
        return r
    except ValueError as e:
        r = BuildReport(path, text)
        line = getattr(e, "lineno", 1)
        col = getattr(e, "colno", 1)
        msg = getattr(e, "msg", str(e))
        r.problems.append(ReportProblem(
            f"the report is not valid JSON ({msg})", (), "at", line, col,
            "fix the producer or rerun the build"))
        return r
    report = BuildReport(path, text, data, parsed=True)
    ShapeReader(report).read()
    return report


def report_from_data(data: Any, path: str = "report.json") -> BuildReport:
    """A report from plain Python data (what :func:`json.load` returns). Positions refer to
    the data written back as indented JSON."""
    try:
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError, RecursionError) as e:
        r = BuildReport(path, None, data)
        r.problems.append(ReportProblem(
            f"the report data is not JSON ({type(e).__name__}: {e}): scap reads report.json "
            "with a JSON parser", (), "at", 1, 1))
        return r
    return parse_report_text(text, path)


# -- shape ------------------------------------------------------------------------------

def _has(d: Any, key: str) -> bool:
    return isinstance(d, dict) and key in d


class ShapeReader:
    """Recognise the shape of parsed report data and collect MW401 problems."""

    def __init__(self, report: BuildReport) -> None:
        self.r = report

    def problem(self, message: str, path: JsonPath, where: str = "value",
                help: Optional[str] = None) -> None:
        self.r.problems.append(ReportProblem(message, path, where, help=help))

    def read(self) -> None:
        data = self.r.data
        if not isinstance(data, dict):
            self.problem(
                f"the report is a JSON {json_type(data)}, not an object with 'mediawiki' and "
                "'webserver' sections", ())
            return
        shape = None
        if any(_has(data.get(s), "flavours") for s in SECTIONS):
            shape = CURRENT
        elif any(_has(data.get(s), BY_FLAVOUR) for s in SECTIONS):
            shape = LEGACY_BY_FLAVOUR
        elif (any(_has(data.get("mediawiki"), k) for k in FLAT_MEDIAWIKI.values())
              or _has(data.get("webserver"), "image")):
            shape = LEGACY_FLAT
        self.r.shape = shape
        if shape == LEGACY_BY_FLAVOUR:
            for s in SECTIONS:
                if _has(data.get(s), BY_FLAVOUR):
                    self.r.legacy_path = (s, BY_FLAVOUR)
                    break
            for s in SECTIONS:
                self.by_flavour_section(data, s)
        elif shape == LEGACY_FLAT:
            for s in SECTIONS:
                keys = FLAT_MEDIAWIKI if s == "mediawiki" else FLAT_WEBSERVER
                found = [k for k in keys.values() if _has(data.get(s), k)]
                if found:
                    self.r.legacy_path = (s, found[0])
                    break
            for s in SECTIONS:
                self.flat_section(data, s)
        else:
            for s in SECTIONS:
                self.current_section(data, s)

    # -- common --------------------------------------------------------------------------
    def section_object(self, data: Dict[str, Any], name: str,
                       wanted: str) -> Optional[Dict[str, Any]]:
        label = SECTION_LABEL[name]
        if name not in data:
            self.problem(
                f"the report has no '{name}' section, so scap finds no {label} image", (),
                "start", f"the build must write {name}.{wanted}")
            return None
        sec = data[name]
        if not isinstance(sec, dict):
            self.problem(
                f"'{name}' is a JSON {json_type(sec)}, not an object with '{wanted}'",
                (name,))
            return None
        return sec

    # -- current shape ---------------------------------------------------------------------
    def current_section(self, data: Dict[str, Any], name: str) -> None:
        sec = self.section_object(data, name, "flavours")
        if sec is None:
            return
        label = SECTION_LABEL[name]
        if "flavours" not in sec:
            other = ""
            if BY_FLAVOUR in sec:
                other = f" (it has '{BY_FLAVOUR}', the older shape)"
            self.problem(
                f"'{name}' has no 'flavours'{other}, so scap finds no {label} image", (name,),
                "key", f"the build must write {name}.flavours.<flavour>, as the other section "
                       f"does" if other else f"the build must write {name}.flavours.<flavour>")
            return
        path = (name, "flavours")
        flavours = sec["flavours"]
        if not isinstance(flavours, dict):
            self.problem(
                f"{name}.flavours is a JSON {json_type(flavours)}, not an object of flavours",
                path)
            return
        if not flavours:
            self.problem(
                f"{name}.flavours is empty: no {label} image was built", path)
            return
        out: Dict[str, ReportFlavour] = {}
        for fname, fl in flavours.items():
            out[fname] = self.current_flavour(name, fname, fl)
        self.r.sections[name] = ReportSection(name, out)

    def current_flavour(self, section: str, fname: str, fl: Any) -> ReportFlavour:
        fpath = (section, "flavours", fname)
        where = f"{section} flavour '{fname}'"
        if not isinstance(fl, dict):
            self.problem(
                f"{where} is a JSON {json_type(fl)}, not an object with 'kinds' and "
                "'metadata'", fpath)
            return ReportFlavour(fname, fpath, None, {}, None)
        kinds_map: Optional[Dict[str, JsonPath]] = None
        images: Dict[str, str] = {}
        if "kinds" not in fl:
            self.problem(
                f"{where} has no 'kinds'", fpath, "key",
                "the producer must write kinds.<kind>.image_name")
        elif not isinstance(fl["kinds"], dict):
            self.problem(
                f"{where}: 'kinds' is a JSON {json_type(fl['kinds'])}, not an object of kinds",
                fpath + ("kinds",))
        elif not fl["kinds"]:
            self.problem(
                f"{where} has 'kinds: {{}}': no image of this flavour was built",
                fpath + ("kinds",))
        else:
            kinds_map = {}
            for kind, kv in fl["kinds"].items():
                kpath = fpath + ("kinds", kind)
                kinds_map[kind] = kpath
                ref = self.kind_image(section, fname, kind, kv, kpath)
                if ref is not None:
                    images[kind] = ref
        metadata = None
        if "metadata" not in fl:
            self.problem(
                f"{where} has no 'metadata', which scap reads for every flavour", fpath, "key",
                "write 'metadata': {} at least")
        elif not isinstance(fl["metadata"], dict):
            self.problem(
                f"{where}: 'metadata' is a JSON {json_type(fl['metadata'])}, not an object",
                fpath + ("metadata",))
        else:
            metadata = fl["metadata"]
        return ReportFlavour(fname, fpath, kinds_map, images, metadata)

    def kind_image(self, section: str, fname: str, kind: str, kv: Any,
                   kpath: JsonPath) -> Optional[str]:
        where = f"{section} flavour '{fname}' kind '{kind}'"
        if not isinstance(kv, dict):
            self.problem(
                f"{where} is a JSON {json_type(kv)}, not an object with 'image_name'", kpath)
            return None
        if "image_name" not in kv:
            self.problem(
                f"{where} has no 'image_name'", kpath, "key",
                "the producer must write the pushed image reference")
            return None
        ref = kv["image_name"]
        if not isinstance(ref, str) or not ref.strip():
            what = "empty" if isinstance(ref, str) else f"a JSON {json_type(ref)}"
            self.problem(
                f"{where}: image_name is {what}, not an image reference",
                kpath + ("image_name",), help="the producer must write the pushed reference")
            return None
        return ref

    # -- by-flavour shape -----------------------------------------------------------------
    def by_flavour_section(self, data: Dict[str, Any], name: str) -> None:
        sec = self.section_object(data, name, BY_FLAVOUR)
        if sec is None:
            return
        label = SECTION_LABEL[name]
        if BY_FLAVOUR not in sec:
            self.problem(
                f"'{name}' has no '{BY_FLAVOUR}', the shape of the rest of this report",
                (name,), "key")
            return
        path = (name, BY_FLAVOUR)
        flavours = sec[BY_FLAVOUR]
        if not isinstance(flavours, dict) or not flavours:
            what = "empty" if isinstance(flavours, dict) else f"a JSON {json_type(flavours)}"
            self.problem(f"{name}.{BY_FLAVOUR} is {what}: no {label} image can be looked up",
                         path)
            return
        out: Dict[str, ReportFlavour] = {}
        for fname, kinds in flavours.items():
            fpath = path + (fname,)
            if not isinstance(kinds, dict) or not kinds:
                what = "empty" if isinstance(kinds, dict) else f"a JSON {json_type(kinds)}"
                self.problem(
                    f"{name} flavour '{fname}' is {what}, not an object of kind -> image "
                    "reference: no image of this flavour can be looked up", fpath)
                out[fname] = ReportFlavour(fname, fpath, None, {}, None)
                continue
            kinds_map: Dict[str, JsonPath] = {}
            images: Dict[str, str] = {}
            for kind, ref in kinds.items():
                kpath = fpath + (kind,)
                kinds_map[kind] = kpath
                if isinstance(ref, str) and ref.strip():
                    images[kind] = ref
                else:
                    what = "empty" if isinstance(ref, str) else f"a JSON {json_type(ref)}"
                    self.problem(
                        f"{name} flavour '{fname}' kind '{kind}' is {what}, not an image "
                        "reference", kpath)
            out[fname] = ReportFlavour(fname, fpath, kinds_map, images, None)
        self.r.sections[name] = ReportSection(name, out)

    # -- flat shape ---------------------------------------------------------------------------
    def flat_section(self, data: Dict[str, Any], name: str) -> None:
        keys = FLAT_MEDIAWIKI if name == "mediawiki" else FLAT_WEBSERVER
        sec = self.section_object(data, name, " / ".join(keys.values()))
        if sec is None:
            return
        kinds_map: Dict[str, JsonPath] = {}
        images: Dict[str, str] = {}
        for kind, key in keys.items():
            if key not in sec:
                continue  # a missing slot is MW403/MW404 for the releases that need it
            kpath = (name, key)
            kinds_map[kind] = kpath
            ref = sec[key]
            if isinstance(ref, str) and ref.strip():
                images[kind] = ref
            else:
                what = "empty" if isinstance(ref, str) else f"a JSON {json_type(ref)}"
                self.problem(f"{name}.{key} is {what}, not an image reference", kpath)
        any_flavour = ReportFlavour("*", (name,), kinds_map, images, None)
        self.r.sections[name] = ReportSection(name, None, any_flavour)

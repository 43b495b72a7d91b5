"""Read a helmfile statically: environments, per-environment install lists, release names.

A MediaWiki ``helmfile.yaml`` is a Go template, not YAML (``deployment-charts.md`` §4), and
mwlint must never run helmfile, helm or a template engine. So, exactly as §6.2 says:

1. the text is split into parts on the lines holding only ``---`` (after CRLF -> LF), as
   helmfile splits it;
2. a small scanner finds every ``{{ ... }}`` action (skipping Go strings, raw strings that
   may span lines and contain ``}}``, runes and comments) and replaces it with
   :data:`MARKER` plus the newlines it spanned, so line numbers survive;
3. a line left holding only markers is blanked; if one of its actions may print YAML (it is
   not pure control: ``if``, ``end``, an assignment, ...), the top-level key whose block
   holds the line (``environments`` or ``releases``) is *open*: its literal content may be
   incomplete;
4. each part is loaded with the safe YAML loader and the literal facts are collected over
   all parts and over the ``bases:`` files (one level deep, inside the checkout only).

A name that holds the marker, a value of an unexpected shape, or a ``helmfiles:`` key opens
the list concerned. A file that cannot be read, decoded, scanned or loaded is *unknown*
(:attr:`HelmfileFacts.unknown` says why): the rules turn that into an info finding, never an
error. Results are cached per real path (and size and modification time).
"""

from __future__ import annotations

import os
import re

from mwlint.source.depth import too_deep
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

# Can never be a real name: Helm release names allow only lowercase letters, digits, "-"
# and "."; environment names in these helmfiles follow the cluster names.
MARKER = "__mwlint_template__"

# helmfile splits on the exact byte sequence newline, "---", newline.
PART_SEPARATOR = "\n---\n"

# Actions that print nothing (deployment-charts.md §6.2, step 5).
_CONTROL_WORDS = frozenset(
    ("if", "else", "end", "range", "with", "define", "block", "template", "break",
     "continue")
)
_FIRST_WORD = re.compile(r"[A-Za-z_]+")
_ASSIGNMENT = re.compile(r"^\$[A-Za-z0-9_]*\s*(?::=|=)")
# A top-level mapping key at column 0: plain or quoted, followed by ":" and a blank or EOL.
_TOP_KEY = re.compile(
    r"""^(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<plain>[^\s#'"\-?:\[\]{},&*!|>%@`][^\n]*?))"""
    r"""\s*:(?:[ \t]|$)"""
)

ENVIRONMENTS = "environments"
RELEASES = "releases"


class TemplateError(ValueError):
    """The template text cannot be scanned (an unterminated action or literal)."""


class InstallList(NamedTuple):
    """An environment's literal install list (``values: [{releases: [...]}, ...]``)."""

    names: Tuple[str, ...]
    open: bool  # an item is templated: the rendered list may hold more names


class HelmfileFacts(NamedTuple):
    """What a helmfile literally declares."""

    path: str  # relative to the checkout, with "/" separators
    unknown: Optional[str]  # why the file could not be read; None when it was
    environments: Dict[str, Optional[InstallList]]  # name -> install list (None: none literal)
    environments_open: bool  # templated content where environments are declared
    releases: Tuple[str, ...]  # literal release names, in order
    releases_open: bool  # templated content where releases are declared
    bases: Tuple[str, ...] = ()  # base files read (relative paths)

    @property
    def readable(self) -> bool:
        return self.unknown is None


def _unknown(path: str, why: str) -> HelmfileFacts:
    return HelmfileFacts(path, why, {}, False, (), False, ())


# -- scanning ------------------------------------------------------------------------------

def _skip_literal(text: str, j: int, quote: str) -> int:
    """Index after a Go interpreted string or rune starting at ``j`` (backslash escapes;
    neither may span lines)."""
    n = len(text)
    k = j + 1
    while k < n:
        c = text[k]
        if c == "\\":
            k += 2
            continue
        if c == quote:
            return k + 1
        if c == "\n":
            break
        k += 1
    kind = "string" if quote == '"' else "rune"
    raise TemplateError(f"unterminated Go {kind} literal in a template action at line "
                        f"{text.count(chr(10), 0, j) + 1}")


def find_actions(text: str) -> List[Tuple[int, int]]:
    """``(start, end)`` of every ``{{ ... }}`` action, ``end`` exclusive.

    From ``{{``, Go strings (``"..."``), raw strings (backticks, may span lines and hold
    ``}}``), runes (``'.'``) and ``/* ... */`` comments are skipped; the action ends at the
    first ``}}`` outside them. Raises :class:`TemplateError` when one is unterminated.
    """
    out: List[Tuple[int, int]] = []
    n = len(text)
    i = 0
    while True:
        start = text.find("{{", i)
        if start < 0:
            return out
        j = start + 2
        end = -1
        while j < n:
            c = text[j]
            if c == '"' or c == "'":
                j = _skip_literal(text, j, c)
            elif c == "`":
                k = text.find("`", j + 1)
                if k < 0:
                    break
                j = k + 1
            elif c == "/" and text.startswith("/*", j):
                k = text.find("*/", j + 2)
                if k < 0:
                    break
                j = k + 2
            elif c == "}" and text.startswith("}}", j):
                end = j + 2
                break
            else:
                j += 1
        if end < 0:
            raise TemplateError(f"unterminated template action at line "
                                f"{text.count(chr(10), 0, start) + 1}")
        out.append((start, end))
        i = end


def is_control(action: str) -> bool:
    """True when the action prints nothing: ``if``/``else``/``end``/``range``/``with``/
    ``define``/``block``/``template``/``break``/``continue``, an assignment, a comment."""
    body = action[2:-2]
    if body.startswith("-") and body[1:2].isspace():
        body = body[1:]
    if body.endswith("-") and body[-2:-1].isspace():
        body = body[:-1]
    body = body.strip()
    if body.startswith("/*"):
        return True
    if _ASSIGNMENT.match(body):
        return True
    m = _FIRST_WORD.match(body)
    return m is not None and m.group(0) in _CONTROL_WORDS


def _key_of(line: str) -> Optional[str]:
    """The top-level key a line opens (None: not a top-level key line)."""
    if not line or line[0] in " \t#":
        return None
    m = _TOP_KEY.match(line)
    if not m:
        return None
    return m.group("dq") if m.group("dq") is not None else (
        m.group("sq") if m.group("sq") is not None else m.group("plain").strip())


def _container_keys(lines: List[str], wanted: Set[int]) -> Dict[int, Optional[str]]:
    """For each line index in ``wanted``, the top-level key whose block holds it (None:
    before any key). One pass over the lines, whatever the number of wanted lines."""
    out: Dict[int, Optional[str]] = {}
    current: Optional[str] = None
    for i, line in enumerate(lines):
        if i in wanted:
            out[i] = current
        key = _key_of(line)
        if key is not None:
            current = key
    return out


def mask_part(text: str) -> Tuple[str, Set[str]]:
    """Replace the template actions of one part; return the YAML text and the top-level
    keys opened by lines that may print YAML (``"*"`` when such a line precedes every key)."""
    actions = find_actions(text)
    if not actions:
        return text, set()
    pieces = []
    last = 0
    # line index -> [is control] of the actions starting on it
    by_line: Dict[int, List[bool]] = {}
    line = 0
    for start, end in actions:
        line += text.count("\n", last, start)
        pieces.append(text[last:start])
        spanned = text.count("\n", start, end)
        pieces.append(MARKER + "\n" * spanned)
        by_line.setdefault(line, []).append(is_control(text[start:end]))
        line += spanned
        last = end
    pieces.append(text[last:])
    lines = "".join(pieces).split("\n")
    opened: Set[str] = set()
    printing = []
    for idx, controls in by_line.items():
        if lines[idx].replace(MARKER, "").strip():
            continue  # the markers sit inside YAML content: judged where they are read
        lines[idx] = ""
        if not all(controls):
            printing.append(idx)
    for key in _container_keys(lines, set(printing)).values():
        opened.add("*" if key is None else key)
    return "\n".join(lines), opened


def split_parts(text: str) -> List[str]:
    return text.replace("\r\n", "\n").split(PART_SEPARATOR)


# -- collecting ----------------------------------------------------------------------------

def _name(value: object) -> Optional[str]:
    """A scalar as helmfile reads a name; None for a collection or null."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _templated(value: object) -> bool:
    return isinstance(value, str) and MARKER in value


class _Collected:
    """Facts accumulated over the parts of one file."""

    def __init__(self) -> None:
        self.environments: Dict[str, Optional[InstallList]] = {}
        self.environments_open = False
        self.releases: List[str] = []
        self.releases_open = False
        self.bases: List[str] = []
        self.bases_open = False  # a templated or non-list bases value

    def open_all(self) -> None:
        self.environments_open = True
        self.releases_open = True


def _install_list(env_value: Any) -> Optional[InstallList]:
    """The environment's install list: ``releases`` of the last inline mapping item of
    ``values`` that has one. None when there is no literal list; an open empty list when
    the place it would come from is templated."""
    if env_value is None:
        return None
    if not isinstance(env_value, dict):
        return InstallList((), True) if _templated(env_value) else None
    values = env_value.get("values")
    if not isinstance(values, list):
        return InstallList((), True) if _templated(values) else None
    found: Optional[InstallList] = None
    for item in values:
        if not isinstance(item, dict) or "releases" not in item:
            continue  # a values file path (templated or not), or other inline values
        rel = item["releases"]
        if isinstance(rel, list):
            names = []
            is_open = False
            for r in rel:
                n = _name(r)
                if n is None or MARKER in n:
                    is_open = True
                else:
                    names.append(n)
            found = InstallList(tuple(names), is_open)
        elif _templated(rel):
            found = InstallList((), True)
        else:
            found = None  # not a literal list: nothing to check against
    return found


def _collect_part(data: Any, opened: Set[str], acc: _Collected, number: int) -> None:
    if "*" in opened:
        acc.open_all()
    if ENVIRONMENTS in opened:
        acc.environments_open = True
    part_releases_open = RELEASES in opened
    if data is None:
        if part_releases_open:
            acc.releases_open = True
        return
    if not isinstance(data, dict):
        raise TemplateError(f"part {number} is not a mapping once its template actions are "
                            f"removed")
    for key in data:
        if isinstance(key, str) and MARKER in key:
            acc.open_all()  # a templated top-level key could be anything
    if "helmfiles" in data:
        acc.open_all()  # sub-helmfiles are never followed
    envs = data.get(ENVIRONMENTS)
    if envs is not None:
        if isinstance(envs, dict):
            for k, v in envs.items():
                name = _name(k)
                if name is None or MARKER in name:
                    acc.environments_open = True
                    continue
                install = _install_list(v)
                if install is not None or name not in acc.environments:
                    acc.environments[name] = install
        else:
            acc.environments_open = True
    if RELEASES in data:
        rels = data[RELEASES]
        names: List[str] = []
        is_open = part_releases_open
        if rels is None:
            pass
        elif isinstance(rels, list):
            for item in rels:
                if not isinstance(item, dict):
                    is_open = True
                    continue
                n = _name(item.get("name"))
                if n is None or MARKER in n:
                    is_open = True
                else:
                    names.append(n)
        else:
            is_open = True
        if is_open:
            # the rendered list may be empty (earlier kept) or not (earlier replaced)
            merged = list(acc.releases)
            _add_new(merged, set(merged), names)
            acc.releases = merged
            acc.releases_open = True
        elif names:
            acc.releases = names  # a later non-empty list replaces an earlier one
    elif part_releases_open:
        acc.releases_open = True
    if "bases" in data:
        bases = data["bases"]
        if isinstance(bases, list):
            for b in bases:
                if isinstance(b, str):
                    acc.bases.append(b)
                else:
                    acc.bases_open = True
        elif bases is not None:
            acc.bases_open = True


def _load(text: str) -> Any:
    """The parsed YAML data of a part (plain Python values: dynamic by nature)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


def parse_text(text: str) -> _Collected:
    """The facts one helmfile text declares, without reading its bases.
    Raises :class:`TemplateError` (or a YAML error) when it cannot be read."""
    acc = _Collected()
    for number, part in enumerate(split_parts(text), 1):
        masked, opened = mask_part(part)
        deep = too_deep(masked)
        if deep is not None:
            raise TemplateError(f"part {number}: {deep[0]}")
        data = _load(masked)
        _collect_part(data, opened, acc, number)
    return acc


# -- files ---------------------------------------------------------------------------------

def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _read_text(real: str, max_size: int) -> Tuple[Optional[str], str]:
    try:
        st = os.stat(real)
    except OSError as e:
        return None, f"cannot be read ({e.strerror or e})"
    import stat as _stat

    if not _stat.S_ISREG(st.st_mode):
        return None, "is not a regular file"
    if st.st_size > max_size:
        return None, f"is larger than max-file-size ({st.st_size} > {max_size} bytes)"
    try:
        with open(real, "rb") as fh:
            data = fh.read(max_size + 1)
    except OSError as e:
        return None, f"cannot be read ({e.strerror or e})"
    if len(data) > max_size:
        return None, f"is larger than max-file-size ({max_size} bytes)"
    if b"\x00" in data:
        return None, "holds a NUL byte (binary)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, f"is not valid UTF-8 (byte {e.start})"
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, ""


def _describe_error(e: Exception) -> str:
    mark = getattr(e, "problem_mark", None)
    problem = getattr(e, "problem", None)
    if mark is not None and problem:
        return f"is not YAML once its template actions are removed ({problem}, line " \
               f"{mark.line + 1})"
    if isinstance(e, TemplateError):
        return f"cannot be scanned: {e}"
    return f"cannot be loaded: {e}"


# (real path, real root, size, mtime in ns, max size) -> what the file declares
_CACHE: Dict[Tuple[str, str, int, int, int], HelmfileFacts] = {}


def _rel(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def read_helmfile(root: str, relpath: str, max_size: int = 10 * 1024 * 1024) -> HelmfileFacts:
    """Read ``root/relpath`` (a helmfile inside a deployment-charts checkout) statically.

    Never raises for a bad file: an unreadable one comes back with ``unknown`` set. The
    path must resolve inside ``root``; bases are read one level deep, inside ``root`` only.
    """
    real_root = os.path.realpath(root)
    shown = relpath.replace(os.sep, "/")
    real = os.path.realpath(os.path.join(root, relpath))
    if not _inside(real, real_root):
        return _unknown(shown, "resolves outside the deployment-charts checkout")
    try:
        st = os.stat(real)
        key: Optional[Tuple[str, str, int, int, int]] = (
            real, real_root, st.st_size, st.st_mtime_ns, max_size)
    except OSError:
        key = None
    if key is not None and key in _CACHE:
        return _CACHE[key]
    facts = _read(real, real_root, shown, max_size)
    if key is not None:
        if len(_CACHE) > 512:
            _CACHE.clear()
        _CACHE[key] = facts
    return facts


def _read(real: str, real_root: str, shown: str, max_size: int) -> HelmfileFacts:
    text, why = _read_text(real, max_size)
    if text is None:
        return _unknown(shown, why)
    try:
        acc = parse_text(text)
    except RecursionError:
        return _unknown(shown, "nests too deeply to be read")
    except Exception as e:  # yaml.YAMLError, TemplateError: unknown, never an error
        return _unknown(shown, _describe_error(e))
    env_open, rel_open = acc.environments_open, acc.releases_open
    if acc.bases_open:
        env_open = rel_open = True
    envs: Dict[str, Optional[InstallList]] = {}
    releases: List[str] = []
    seen: Set[str] = set()  # the names in releases (a list test per name was quadratic)
    read_bases: List[str] = []
    here = os.path.dirname(real)
    for base in acc.bases:
        if MARKER in base or os.path.isabs(base):
            env_open = rel_open = True  # templated or absolute: never read
            continue
        base_real = os.path.realpath(os.path.join(here, base))
        if not _inside(base_real, real_root):
            env_open = rel_open = True
            continue
        base_text, _why = _read_text(base_real, max_size)
        if base_text is None:
            env_open = rel_open = True
            continue
        try:
            b = parse_text(base_text)
        except RecursionError:
            env_open = rel_open = True
            continue
        except Exception:
            env_open = rel_open = True
            continue
        read_bases.append(_rel(base_real, real_root))
        if b.bases or b.bases_open:
            env_open = rel_open = True  # a base may not have bases of its own
        env_open = env_open or b.environments_open
        rel_open = rel_open or b.releases_open
        for name, install in b.environments.items():
            if install is not None or name not in envs:
                envs[name] = install
        _add_new(releases, seen, b.releases)
    # the file's own layers come after its bases
    for name, install in acc.environments.items():
        if install is not None or name not in envs:
            envs[name] = install
    _add_new(releases, seen, acc.releases)
    return HelmfileFacts(shown, None, envs, env_open, tuple(releases), rel_open,
                         tuple(read_bases))


def _add_new(out: List[str], seen: Set[str], names: Iterable[str]) -> None:
    for n in names:
        if n not in seen:
            seen.add(n)
            out.append(n)


def clear_cache() -> None:
    _CACHE.clear()

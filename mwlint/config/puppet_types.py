"""Read the consuming repository's Puppet types for the deployments value.

operations/puppet declares the value's type in ``modules/profile/types/``:
``mediawiki_deployment.pp`` (one entry, ``Profile::Mediawiki_deployment``) and, since the
mapping form, ``mediawiki_deployments.pp`` (the top level, ``Profile::Mediawiki_deployments``).
A Puppet ``Struct`` is closed, so its keys are exactly what MW103 must allow; the release
``stage`` ``Enum`` is what MW105 must allow. Reading the repository's own types keeps mwlint
right for every historical version of them (deployments-config.md §7.2) without a release of
mwlint.

This is a small tolerant reader of Puppet's *type expression* syntax, not a Puppet parser:
``type Name = Expr`` statements whose expressions are names with optional ``[args]``, hash
literals ``{key => value, ...}``, strings, numbers and regexes. Keys may be written ``name``,
``'name'``, ``Optional[name]``/``Optional['name']`` or ``NotUndef['name']``. ``Variant`` is read
as the union of its members, ``Optional``/``NotUndef`` are looked through, and references to
other aliases defined in the same files are followed. Anything else is a
:class:`PuppetTypeError` with the line, and the caller falls back to the built-in key sets.
"""

from __future__ import annotations

import glob
import os
import re

from mwlint.source.bounded import FileTooLarge, read_regular_file
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Dict, Iterable, List, NoReturn, Optional, Tuple, Union

TYPES_SUBDIR = os.path.join("modules", "profile", "types")
TYPES_GLOB = "mediawiki_deployment*.pp"
ENTRY_TYPE = "profile::mediawiki_deployment"
TOP_TYPE = "profile::mediawiki_deployments"
MAX_TYPE_FILE_SIZE = 256 * 1024
# The type of the deployments value nests about 6 levels and refers to 2 or 3 aliases; the
# reader recurses, so deeper input is an error (and the built-in key sets apply).
MAX_TYPE_DEPTH = 50  # brackets and braces inside one expression
MAX_ALIAS_DEPTH = 100  # Optional, Variant and aliases looked through, one in another
MAX_EXPANSION = 10_000  # alternatives looked at while reading the structure
MAX_NUMBER_DIGITS = 100  # Puppet's Integer is 64-bit


class PuppetTypeError(Exception):
    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


class PuppetTypes(NamedTuple):
    """What the type files allow; ``None`` for a level the files do not describe (the
    built-in set then applies to that level)."""

    top: Optional[Tuple[str, ...]]
    entry: Optional[Tuple[str, ...]]
    release: Optional[Tuple[str, ...]]
    stages: Optional[Tuple[str, ...]]
    files: Tuple[str, ...]

    def allowed_keys(self) -> Dict[str, Tuple[str, ...]]:
        out = {}
        for level in ("top", "entry", "release"):
            keys = getattr(self, level)
            if keys is not None:
                out[level] = keys
        return out


# -- expressions -------------------------------------------------------------------------

class Ref(NamedTuple):
    """``Name`` or ``Name[args]``; ``args`` is None without brackets."""

    name: str
    args: Optional[Tuple[Expr, ...]]
    line: int


class HashLit(NamedTuple):
    pairs: Tuple[Tuple[Expr, Expr], ...]  # ((key expr, value expr), ...)
    line: int


class ArrayLit(NamedTuple):
    items: Tuple[Expr, ...]
    line: int


class Lit(NamedTuple):
    """A string, number or regex literal."""

    value: object
    line: int


if TYPE_CHECKING:
    Expr = Union[Ref, HashLit, ArrayLit, Lit]  # a type expression


# -- tokenizer ---------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\n]*|/\*.*?\*/)
  | (?P<arrow>=>)
  | (?P<punct>[\[\]{}(),=])
  | (?P<sq>'(?:[^'\\]|\\.)*')
  | (?P<dq>"(?:[^"\\]|\\.)*")
  | (?P<num>-?[0-9]+(?:\.[0-9]+)?)
  | (?P<name>(?:::)?[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*)
""", re.VERBOSE | re.DOTALL)
_REGEX = re.compile(r"/(?:[^/\\\n]|\\.)*/")


class _Tok(NamedTuple):
    kind: str  # "name", "str", "num", "regex", or the punctuation itself
    value: str
    line: int


def _tokens(text: str, path: str) -> List[_Tok]:
    out: List[_Tok] = []
    pos, line, n = 0, 1, len(text)
    while pos < n:
        if text[pos] == "/" and text.startswith("/*", pos) is False and out \
                and out[-1].kind in ("[", ",", "("):
            m = _REGEX.match(text, pos)
            if m is None:
                raise PuppetTypeError(path, line, "unterminated regex")
            out.append(_Tok("regex", m.group()[1:-1], line))
            pos = m.end()
            continue
        m = _TOKEN.match(text, pos)
        if m is None:
            raise PuppetTypeError(path, line, f"unexpected character {text[pos]!r}")
        kind = m.lastgroup
        value = m.group()
        if kind == "sq":
            out.append(_Tok("str", re.sub(r"\\([\\'])", r"\1", value[1:-1]), line))
        elif kind == "dq":
            out.append(_Tok("str", re.sub(r"\\(.)", r"\1", value[1:-1]), line))
        elif kind in ("arrow", "punct"):
            out.append(_Tok(value, value, line))
        elif kind in ("num", "name"):
            out.append(_Tok(kind, value, line))
        line += value.count("\n")
        pos = m.end()
    return out


# -- parser ------------------------------------------------------------------------------

class _Parser:
    def __init__(self, tokens: List[_Tok], path: str):
        self.toks = tokens
        self.i = 0
        self.path = path
        self.depth = 0

    def _peek(self) -> Optional[_Tok]:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def _line(self) -> int:
        t = self._peek()
        if t is not None:
            return t.line
        return self.toks[-1].line if self.toks else 1

    def _error(self, message: str) -> NoReturn:
        raise PuppetTypeError(self.path, self._line(), message)

    def _take(self, kind: str) -> _Tok:
        t = self._peek()
        if t is None or t.kind != kind:
            found = "end of file" if t is None else repr(t.value)
            self._error(f"expected {kind!r}, found {found}")
        self.i += 1
        return t

    def aliases(self) -> Dict[str, Tuple[str, Expr]]:
        """``type Name = Expr`` statements: lower-cased name -> (written name, expr)."""
        out: Dict[str, Tuple[str, Expr]] = {}
        while self._peek() is not None:
            t = self._take("name")
            if t.value != "type":
                self.i -= 1
                self._error(f"expected a 'type Name = ...' statement, found {t.value!r}")
            name = self._take("name").value
            self._take("=")
            out[name.lstrip(":").lower()] = (name.lstrip(":"), self.expr())
        return out

    def expr(self) -> Expr:
        self.depth += 1
        try:
            if self.depth > MAX_TYPE_DEPTH:
                self._error(f"a type nested deeper than {MAX_TYPE_DEPTH} levels")
            return self._expr()
        finally:
            self.depth -= 1

    def _expr(self) -> Expr:
        t = self._peek()
        if t is None:
            self._error("expected a type, found end of file")
        if t.kind == "name":
            self.i += 1
            args: Optional[Tuple[Expr, ...]] = None
            nxt = self._peek()
            if nxt is not None and nxt.kind == "[":
                self.i += 1
                args = tuple(self._list("]"))
            return Ref(t.value.lstrip(":"), args, t.line)
        if t.kind == "{":
            self.i += 1
            pairs: List[Tuple[Expr, Expr]] = []
            while True:
                nxt = self._peek()
                if nxt is not None and nxt.kind == "}":
                    self.i += 1
                    break
                key = self.expr()
                self._take("=>")
                pairs.append((key, self.expr()))
                nxt = self._peek()
                if nxt is not None and nxt.kind == ",":
                    self.i += 1
                elif nxt is None or nxt.kind != "}":
                    self._error("expected ',' or '}' in a hash")
            return HashLit(tuple(pairs), t.line)
        if t.kind == "[":
            self.i += 1
            return ArrayLit(tuple(self._list("]")), t.line)
        if t.kind in ("str", "regex"):
            self.i += 1
            return Lit(t.value, t.line)
        if t.kind == "num":
            if len(t.value) > MAX_NUMBER_DIGITS:
                self._error(f"a number longer than {MAX_NUMBER_DIGITS} digits")
            self.i += 1
            return Lit(float(t.value) if "." in t.value else int(t.value), t.line)
        self._error(f"unexpected {t.value!r}")

    def _list(self, close: str) -> List[Expr]:
        items: List[Expr] = []
        while True:
            nxt = self._peek()
            if nxt is not None and nxt.kind == close:
                self.i += 1
                return items
            items.append(self.expr())
            nxt = self._peek()
            if nxt is not None and nxt.kind == ",":
                self.i += 1
            elif nxt is None or nxt.kind != close:
                self._error(f"expected ',' or {close!r}")


def parse_types(text: str, path: str = "<types>") -> Dict[str, Tuple[str, Expr]]:
    """The aliases defined in one ``.pp`` file (lower-cased name -> (name, expression))."""
    return _Parser(_tokens(text, path), path).aliases()


# -- reading the structure -----------------------------------------------------------------

class _Reader:
    def __init__(self, aliases: Dict[str, Tuple[str, Expr]]) -> None:
        self.aliases = aliases
        self.expanded = 0
        self.depth = 0

    def members(self, expr: Expr, seen: Tuple[str, ...] = ()) -> List[Expr]:
        """The alternatives an expression stands for: ``Optional``, ``NotUndef`` and
        aliases looked through, ``Variant`` flattened."""
        self.expanded += 1
        if self.expanded > MAX_EXPANSION:
            raise PuppetTypeError("", getattr(expr, "line", 0),
                                  f"the type aliases expand to more than {MAX_EXPANSION} types")
        self.depth += 1
        try:
            if self.depth > MAX_ALIAS_DEPTH:
                raise PuppetTypeError("", getattr(expr, "line", 0),
                                      f"the type refers through more than {MAX_ALIAS_DEPTH} "
                                      f"aliases and wrappers, one in another")
            return self._members(expr, seen)
        finally:
            self.depth -= 1

    def _members(self, expr: Expr, seen: Tuple[str, ...]) -> List[Expr]:
        if isinstance(expr, Ref):
            low = expr.name.lower()
            if low in ("optional", "notundef") and expr.args:
                return self.members(expr.args[0], seen)
            if low == "variant" and expr.args:
                out: List[Expr] = []
                for a in expr.args:
                    out.extend(self.members(a, seen))
                return out
            if expr.args is None and low in self.aliases and low not in seen:
                return self.members(self.aliases[low][1], seen + (low,))
        return [expr]

    def structs(self, expr: Expr) -> List[HashLit]:
        out: List[HashLit] = []
        for m in self.members(expr):
            if isinstance(m, Ref) and m.name.lower() == "struct" and m.args \
                    and isinstance(m.args[0], HashLit):
                out.append(m.args[0])
        return out

    @staticmethod
    def key_name(key: Expr) -> Optional[str]:
        if isinstance(key, Lit) and isinstance(key.value, str):
            return key.value
        if isinstance(key, Ref):
            if key.args is None:
                return key.name
            if key.name.lower() in ("optional", "notundef") and len(key.args) == 1:
                return _Reader.key_name(key.args[0])
        return None

    def keys(self, structs: Iterable[HashLit]) -> Tuple[str, ...]:
        out: List[str] = []
        for s in structs:
            for key, _value in s.pairs:
                name = self.key_name(key)
                if name is None:
                    raise PuppetTypeError("", getattr(key, "line", 0),
                                          "a Struct key that is not a name or a string")
                if name not in out:
                    out.append(name)
        return tuple(out)

    def value_of(self, structs: Iterable[HashLit], name: str) -> List[Expr]:
        return [v for s in structs for k, v in s.pairs if self.key_name(k) == name]

    def element_structs(self, exprs: Iterable[Expr], container: str) -> List[HashLit]:
        """Structs inside ``Hash[K, V]`` (V) or ``Array[T]`` (T)."""
        out: List[HashLit] = []
        for e in exprs:
            for m in self.members(e):
                if not (isinstance(m, Ref) and m.args):
                    continue
                low = m.name.lower()
                if container == "hash" and low == "hash" and len(m.args) >= 2:
                    out.extend(self.structs(m.args[1]))
                elif container == "array" and low == "array":
                    out.extend(self.structs(m.args[0]))
        return out

    def enum_values(self, exprs: Iterable[Expr]) -> Optional[Tuple[str, ...]]:
        values: List[str] = []
        for e in exprs:
            for m in self.members(e):
                if not (isinstance(m, Ref) and m.name.lower() == "enum" and m.args):
                    return None  # a String or anything else: no restriction known
                for a in m.args:
                    word = None
                    if isinstance(a, Lit) and isinstance(a.value, str):
                        word = a.value
                    elif isinstance(a, Ref) and a.args is None:  # a bare word is a string
                        word = a.name
                    if word is not None:
                        if word not in values:
                            values.append(word)
                    elif isinstance(a, ArrayLit):  # Enum[['a', 'b']]
                        values.extend(str(x.value) for x in a.items if isinstance(x, Lit))
        return tuple(values) if values else None


def read_aliases(aliases: Dict[str, Tuple[str, Expr]], entry_hint: Optional[str] = None,
                 top_hint: Optional[str] = None, files: Tuple[str, ...] = ()) -> PuppetTypes:
    """Key sets and stages from parsed aliases. ``entry_hint``/``top_hint`` name the alias
    to use when the conventional names are absent (the alias defined in
    ``mediawiki_deployment.pp`` / ``mediawiki_deployments.pp``)."""
    r = _Reader(aliases)
    top_structs: List[HashLit] = []
    top_name = TOP_TYPE if TOP_TYPE in aliases else top_hint
    if top_name in aliases:
        top_structs = r.structs(aliases[top_name][1])
    entry_name = ENTRY_TYPE if ENTRY_TYPE in aliases else entry_hint
    entry_structs: List[HashLit] = []
    if entry_name in aliases:
        entry_structs = r.structs(aliases[entry_name][1])
    if not entry_structs and top_structs:
        entry_structs = r.element_structs(r.value_of(top_structs, "deployment_targets"),
                                          "array")
    if not entry_structs:
        raise PuppetTypeError(files[0] if files else "", 1,
                              "no Struct found for Profile::Mediawiki_deployment")
    release_structs = r.element_structs(r.value_of(entry_structs, "releases"), "hash")
    stages = r.enum_values(r.value_of(release_structs, "stage")) if release_structs else None
    return PuppetTypes(
        top=r.keys(top_structs) if top_structs else None,
        entry=r.keys(entry_structs),
        release=r.keys(release_structs) if release_structs else None,
        stages=stages,
        files=files,
    )


def read_texts(texts: Dict[str, str]) -> PuppetTypes:
    """Read type files given as {path: text} (tests and :func:`read_types_dir`)."""
    aliases: Dict[str, Tuple[str, Expr]] = {}
    entry_hint = top_hint = None
    for path in sorted(texts):
        defined = parse_types(texts[path], path)
        aliases.update(defined)
        base = os.path.basename(path)
        if defined and base == "mediawiki_deployment.pp":
            entry_hint = next(iter(defined))
        elif defined and base == "mediawiki_deployments.pp":
            top_hint = next(iter(defined))
    try:
        return read_aliases(aliases, entry_hint, top_hint, tuple(sorted(texts)))
    except PuppetTypeError as e:
        if e.path:
            raise
        raise PuppetTypeError(sorted(texts)[0] if texts else "", e.line, e.message) from None


def type_files(types_dir: str) -> List[str]:
    return sorted(glob.glob(os.path.join(glob.escape(types_dir), TYPES_GLOB)))


def read_types_dir(types_dir: str) -> Optional[PuppetTypes]:
    """The types of ``modules/profile/types`` (``None`` when it has no deployments type).
    Raises :class:`PuppetTypeError` for a file that cannot be read."""
    files = type_files(types_dir)
    if not files:
        return None
    texts = {}
    for path in files:
        try:  # a regular file, never read past the cap (a FIFO named *.pp would block)
            texts[path] = read_regular_file(path, MAX_TYPE_FILE_SIZE).decode("utf-8")
        except UnicodeDecodeError:
            raise PuppetTypeError(path, 1, "not UTF-8") from None
        except FileTooLarge:
            raise PuppetTypeError(path, 1, f"larger than {MAX_TYPE_FILE_SIZE} bytes") from None
        except OSError as e:
            raise PuppetTypeError(path, 1, f"cannot read: {e.strerror or e}") from None
    return read_texts(texts)

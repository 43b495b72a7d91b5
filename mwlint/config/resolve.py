"""Settings per linted file: command line > nearest config file > config files further up
> built-in defaults, key by key; plus the repository's Puppet types.

For a linted file, mwlint looks at its directory and every parent up to the repository
root (the directory holding ``.git``) or the filesystem root. In each directory the config
file is ``.mwlint.toml``, else ``pyproject.toml`` with a ``[tool.mwlint]`` table. A key set in
a nearer file replaces the same key of a file further up; a key given on the command line
replaces both. ``--config PATH`` uses that one file instead of discovery; ``--isolated``
uses no file at all (and no Puppet types). Results are cached per directory, so a tree of
thousands of files costs a few ``stat`` calls per directory.
"""

from __future__ import annotations

import os
import re

from mwlint.config.files import ConfigFile, config_in, is_repo_root, read_config
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING, NamedTuple, cast

if TYPE_CHECKING:
    from typing import (
        Dict,
        FrozenSet,
        Iterable,
        List,
        Optional,
        Pattern,
        Sequence,
        Set,
        Tuple,
        Union,
    )

if TYPE_CHECKING:  # read only with a Puppet types directory: not imported at start-up
    from mwlint.config.puppet_types import PuppetTypes

# where the Puppet types live in a repository (mwlint.config.puppet_types, imported only
# when a repository has them)
TYPES_SUBDIR = os.path.join("modules", "profile", "types")

CLI_ORIGIN = "command line"
DEFAULT_ORIGIN = "default"
TYPES_ATTRS = ("allowed_keys", "allowed_stages")


# per-file-ignores: ((base_dir, glob, codes), ...)
if TYPE_CHECKING:
    PerFileIgnores = Tuple[Tuple[str, str, Tuple[str, ...]], ...]
# a directory's config files, nearest first, and its Puppet types (or None)
if TYPE_CHECKING:
    Found = Tuple[Tuple[ConfigFile, ...], Optional["PuppetTypes"]]


class Resolved(NamedTuple):
    """The settings of one file and where each came from."""

    settings: Settings
    origins: Dict[str, str]  # Settings attribute -> "default", a file path or "command line"
    files: Tuple[str, ...]  # config files in effect, nearest first
    types: Optional[PuppetTypes]
    per_file_ignores: PerFileIgnores  # ((base_dir, glob, codes), ...) in effect
    per_file_ignores_origin: str
    matched: Tuple[str, ...]  # codes added to ``ignore`` for this file by per-file-ignores


class ConfigResolver:
    """Settings for each linted path.

    ``cli`` holds every command-line setting (and the defaults); ``cli_fields`` names the
    attributes the command line set explicitly, which no config file overrides.
    """

    def __init__(self, cli: Optional[Settings] = None, cli_fields: Iterable[str] = (),
                 config: Optional[str] = None, isolated: bool = False,
                 extend_select: Sequence[str] = ()) -> None:
        self.cli = cli if cli is not None else Settings()
        self.cli_fields = frozenset(cli_fields)
        # --extend-select: added to each file's selection (the command line's, else its
        # config's); with every rule selected there is nothing to add
        self.extend_select = tuple(extend_select)
        self.isolated = isolated
        self.explicit: Optional[ConfigFile] = None
        if config is not None and not isolated:
            self.explicit = read_config(config, explicit=True)
        self.warnings: List[str] = []
        self._files: Dict[str, Optional[ConfigFile]] = {}
        # directory -> (config files nearest first, PuppetTypes or None)
        self._found_cache: Dict[str, Found] = {}
        self._dirs: Dict[str, Resolved] = {}
        self._by_raw_dir: Dict[str, Settings] = {}  # settings_for's directories as written
        self._per_file: Dict[Tuple[str, Tuple[str, ...]], Settings] = {}
        self._plain: Optional[Resolved] = None  # directories with no config and no types
        # directory -> its names, from the walk that found the files (add_listings)
        self._listings: Dict[str, FrozenSet[str]] = {}

    # -- discovery ---------------------------------------------------------------------
    def add_listings(self, listings: Dict[str, FrozenSet[str]]) -> None:
        """Directory listings taken by the walk that found the files: in those directories
        the config names, ``.git`` and the types folder are looked up without ``stat``."""
        self._listings.update(listings)

    def _found(self, directory: str) -> Found:
        """(config files nearest first, Puppet types or None) for a directory. One upward
        walk that stops at the first directory already known, so every directory is looked
        at once: four ``stat`` calls (two config names, ``.git``, the types dir)."""
        if self.isolated:
            return (), None
        known = self._found_cache.get(directory)
        if known is not None:
            return known
        todo: List[str] = []
        base: Found
        d = directory
        while True:
            if d in self._found_cache:
                base = self._found_cache[d]
                break
            todo.append(d)
            parent = os.path.dirname(d)
            if parent == d or is_repo_root(d, self._listings.get(d)):
                base = ((), None)
                break
            d = parent
        for d in reversed(todo):  # from the top down
            chain, types = base
            names = self._listings.get(d)
            cf = None if self.explicit is not None else config_in(d, self._files, names)
            own = None
            if names is None or TYPES_SUBDIR.split(os.sep, 1)[0] in names:
                own = self._read_types(os.path.join(d, TYPES_SUBDIR))
            base = ((cf,) + chain if cf is not None else chain,
                    own if own is not None else types)
            self._found_cache[d] = base
        return base

    def _read_types(self, types_dir: str) -> Optional[PuppetTypes]:
        if not os.path.isdir(types_dir):
            return None
        from mwlint.config.puppet_types import PuppetTypeError, read_types_dir

        try:
            return read_types_dir(types_dir)
        except PuppetTypeError as e:
            self.warnings.append(
                f"{e.path}:{e.line}: cannot read the Puppet type ({e.message}); MW103 and "
                "MW105 use mwlint's built-in key sets and stages")
            return None

    # -- resolution --------------------------------------------------------------------
    def _resolve_dir(self, directory: str) -> Resolved:
        r = self._dirs.get(directory)
        if r is not None:
            return r
        chain, types = self._found(directory)
        if self.explicit is not None:
            chain = (self.explicit,)
        if not chain and types is None:  # most directories: one shared result, no copies
            if self._plain is None:
                self._plain = self._build(chain, types)
            self._dirs[directory] = self._plain
            return self._plain
        r = self._build(chain, types)
        self._dirs[directory] = r
        return r

    def _build(self, chain: Tuple[ConfigFile, ...], types: Optional[PuppetTypes]) -> Resolved:
        s = self.cli.replace()
        # attribute -> origin; an attribute absent here has its default
        origins = {attr: CLI_ORIGIN for attr in self.cli_fields}
        pfi: PerFileIgnores = ()
        pfi_origin = DEFAULT_ORIGIN
        for cf in reversed(chain):  # farthest first: nearer files replace its keys
            for opt, value in cf.values:
                if not opt.attr:
                    # the one option that is no Settings attribute: its converted value
                    pfi, pfi_origin = cast("PerFileIgnores", value), cf.path
                elif opt.attr not in self.cli_fields:
                    setattr(s, opt.attr, value)
                    origins[opt.attr] = cf.path
        if self.extend_select and s.select is not None:
            s.select = tuple(s.select) + tuple(c for c in self.extend_select
                                               if c not in s.select)
            origins["select"] = ", ".join(dict.fromkeys(
                (origins.get("select", DEFAULT_ORIGIN), CLI_ORIGIN)))
        if types is not None:
            s.allowed_keys = types.allowed_keys() or None
            s.allowed_stages = types.stages
            for attr in TYPES_ATTRS:
                origins[attr] = ", ".join(types.files)
        return Resolved(s, origins, tuple(cf.path for cf in chain), types, pfi, pfi_origin, ())

    def resolve(self, path: str, is_dir: bool = False) -> Resolved:
        """Settings for the file ``path`` (with ``is_dir``: for a file inside the directory
        ``path``)."""
        apath = os.path.abspath(path)
        directory = apath if is_dir else os.path.dirname(apath)
        r = self._resolve_dir(directory)
        matched: List[str] = []
        for base_dir, pattern, codes in r.per_file_ignores:
            if glob_matches(pattern, apath, base_dir):
                matched.extend(c for c in codes if c not in matched)
        if not matched:
            return r
        key = (directory, tuple(matched))
        s = self._per_file.get(key)
        if s is None:
            s = r.settings.replace(ignore=tuple(r.settings.ignore) + tuple(matched))
            self._per_file[key] = s
        return r._replace(settings=s, matched=tuple(matched))

    def settings_for(self, path: str) -> Settings:
        # asked for every file of a run: by the directory as written, when no per-file
        # ignore can match in it (relative to the working directory, which mwlint never
        # changes)
        raw = path[:path.rfind(os.sep) + 1]  # its directory as written ("" for the cwd)
        s = self._by_raw_dir.get(raw)
        if s is not None:
            return s
        r = self.resolve(path)
        if not r.per_file_ignores:
            self._by_raw_dir[raw] = r.settings
        return r.settings


# -- globs -------------------------------------------------------------------------------

_GLOB_CACHE: Dict[str, "Glob"] = {}

# glob tokens: (kind, argument)
_LITERAL, _ONE, _CLASS, _STAR, _ANY, _DIRS = range(6)


class Glob:
    """A compiled glob: ``*`` any characters but ``/``, ``**`` any characters, ``**/`` any
    directories (none included), ``?`` one character but ``/``, ``[...]`` (``[!...]``) a
    class of one character (a ``]`` right after the ``[`` or ``[!`` belongs to it). Matches
    the whole string.

    Matching runs the pattern as a set of positions over the string (an NFA, its steps
    remembered as a DFA is built lazily), so it costs at most (string length) x (pattern
    length) steps, and one dictionary look-up per character once warm: a regex with several
    ``*`` backtracks exponentially (``*-*-*-*-*-*.yaml`` against one long name took 40 s).
    """

    MAX_STEPS = 4096  # remembered transitions per glob (beyond: forget them, stay linear)

    def __init__(self, pattern: str) -> None:
        self.tokens = _glob_tokens(pattern)
        self._final = 2 * len(self.tokens)
        self._start = self._closure({0})
        self._steps: Dict[Tuple[FrozenSet[int], str], FrozenSet[int]] = {}

    def match(self, text: str) -> bool:
        steps = self._steps
        state = self._start
        for ch in text:
            nxt = steps.get((state, ch))
            if nxt is None:
                if len(steps) >= self.MAX_STEPS:
                    steps.clear()
                nxt = steps[(state, ch)] = self._advance(state, ch)
            if not nxt:
                return False
            state = nxt
        return self._final in state

    def _advance(self, states: FrozenSet[int], ch: str) -> FrozenSet[int]:
        # a state is 2*i ("before token i") or 2*i+1 ("inside the **/ token i, after at
        # least one character": it ends only with a '/')
        tokens = self.tokens
        n = len(tokens)
        nxt: Set[int] = set()
        for st in states:
            i = st >> 1
            if i == n:
                continue
            kind, arg = tokens[i]
            if kind == _DIRS:
                nxt.add(2 * i + 1)
                if ch == "/":
                    nxt.add(2 * (i + 1))
            elif kind == _STAR:
                if ch != "/":
                    nxt.add(st)
            elif kind == _ANY:
                nxt.add(st)
            elif kind == _LITERAL:
                if ch == arg:
                    nxt.add(2 * (i + 1))
            elif kind == _ONE:
                if ch != "/":
                    nxt.add(2 * (i + 1))
            elif cast("Pattern[str]", arg).match(ch):  # _CLASS
                nxt.add(2 * (i + 1))
        return self._closure(nxt)

    def _closure(self, states: Set[int]) -> FrozenSet[int]:
        """Add the states reachable without a character: past ``*``, ``**`` and ``**/``
        when they match nothing."""
        tokens = self.tokens
        todo = [st for st in states if not st & 1]
        while todo:
            i = todo.pop() >> 1
            if i < len(tokens) and tokens[i][0] in (_STAR, _ANY, _DIRS):
                st = 2 * (i + 1)
                if st not in states:
                    states.add(st)
                    todo.append(st)
        return frozenset(states)


# glob tokens: (kind, argument): the character of a _LITERAL, the compiled class of a _CLASS
if TYPE_CHECKING:
    _Token = Tuple[int, Union[None, str, Pattern[str]]]


def _glob_tokens(pattern: str) -> List[_Token]:
    out: List[_Token] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append((_DIRS, None))
            i += 3
        elif pattern.startswith("**", i):
            out.append((_ANY, None))
            i += 2
        elif c == "*":
            out.append((_STAR, None))
            i += 1
        elif c == "?":
            out.append((_ONE, None))
            i += 1
        elif c == "[":
            negated = pattern.startswith("[!", i)
            first = i + 2 if negated else i + 1
            j = pattern.find("]", first + 1)  # a ']' first in the class is a member
            cls = None
            if j >= 0:
                members = "".join("\\" + m if m in "\\[]&~|" else m
                                  for m in pattern[first:j])
                try:  # one character class, matched as a regex matches it
                    cls = re.compile("[" + ("^" if negated else "") + members + "]")
                except re.error:  # a reversed range (z-a): the '[' is a character
                    cls = None
            if cls is None:
                out.append((_LITERAL, c))
                i += 1
            else:
                out.append((_CLASS, cls))
                i = j + 1
        else:
            out.append((_LITERAL, c))
            i += 1
    return out


def glob_pattern(pattern: str) -> Glob:
    """The compiled :class:`Glob` of ``pattern`` (cached)."""
    g = _GLOB_CACHE.get(pattern)
    if g is None:
        if len(_GLOB_CACHE) > 1024:
            _GLOB_CACHE.clear()
        g = _GLOB_CACHE[pattern] = Glob(pattern)
    return g


def glob_matches(pattern: str, path: str, base_dir: str) -> bool:
    """Does ``path`` (absolute) match ``pattern``, relative to ``base_dir``? A pattern
    without ``/`` matches the file name in any directory below ``base_dir``."""
    rel = os.path.relpath(path, base_dir).replace(os.sep, "/")
    if rel == ".." or rel.startswith("../"):
        return False
    pat = pattern.replace(os.sep, "/")
    if pat.startswith("./"):
        pat = pat[2:]
    if "/" not in pat:
        return glob_pattern(pat).match(rel.rsplit("/", 1)[-1])
    return glob_pattern(pat.lstrip("/")).match(rel)

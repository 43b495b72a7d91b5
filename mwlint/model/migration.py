"""The T389499 migration of ``debug`` keys (MW201, with MW202 and MW203 as its
consequences), planned on the model as minimal text edits: what the findings' fixes carry.

Only this module of the model layer reads parser nodes for edits (marks, styles, reference
counts); the rules ask :meth:`mwlint.model.HieraFile.migration` and never see a node. It is
planned entry by entry on first use, so a file without ``debug`` keys pays nothing.

The recipe (deployments-config.md §3.2), for entries of the ``releases``-map format:

* ``debug: true`` → ``mw_kind: debug-image`` on the namespace (unless the namespace already
  sets ``mw_kind: debug-image``) and ``stage: testservers`` on each deployable release that has
  no ``stage``; ``debug`` is removed. A release with an explicit ``testservers`` or
  ``production`` stage keeps it (MW203 stays and a person decides). No faithful translation,
  so the entry is left alone: a release that says ``stage: canaries`` (dropped before
  April 2025, sent to testservers during the transition), a release-level ``mw_kind`` other
  than ``debug-image``, or a namespace ``mw_kind`` other than ``debug-image``.
* ``debug: false`` (or null) is removed; nothing else changes.
* A ``debug`` key inside a release (never valid) is removed when false or null; a true one is
  left to a person.

Never rewritten: the legacy shapes (MW205), anything reached through an alias or a merge key,
any node that is shared (an anchor used elsewhere): an edit there would also change the
other place; and an entry with a key that is a list or a mapping (MW103/MW104), whose
contents the model does not hold.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from yaml.nodes import Node

from mwlint.findings import Edit, Fix, Position, Span
from mwlint.parse.resolve import (
    BOOL_TAG,
    NULL_TAG,
    STR_TAG,
    is_map,
    is_scalar,
    is_seq,
)
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from mwlint.model.types import Entry, Field, HieraFile, Release

DEBUG_KIND = "debug-image"
TESTSERVERS = "testservers"

_BREAK_CHARS = "\r\n\x85\u2028\u2029"
_BREAK = "\r\n|[\r\n\x85\u2028\u2029]"  # (compiled by re on first use, kept in its cache)


class Cut(NamedTuple):
    """A text edit by character offsets (what the planner computes and ``--fix`` applies)."""

    start: int  # character offset, inclusive
    end: int  # character offset, exclusive (start == end: an insertion)
    text: str  # replacement


class OverlapError(ValueError):
    pass


def check_disjoint(cuts: Iterable[Cut]) -> List[Cut]:
    """The cuts sorted by position; raises :class:`OverlapError` when two touch the same
    text (two insertions at one offset count as overlapping: their order would be a guess)."""
    out = sorted(cuts, key=lambda e: (e.start, e.end))
    for a, b in zip(out, out[1:]):
        if b.start < a.end or (b.start == a.start):
            raise OverlapError(f"edits overlap at offset {b.start}")
    return out


def line_start(text: str, offset: int) -> int:
    """Offset of the first character of the line holding ``offset``."""
    best = -1
    for c in _BREAK_CHARS:
        i = text.rfind(c, 0, offset)
        if i > best:
            best = i
    return best + 1


def line_end(text: str, offset: int) -> int:
    """Offset of the line break ending the line holding ``offset`` (or ``len(text)``)."""
    best = len(text)
    for c in _BREAK_CHARS:
        i = text.find(c, offset, best)
        if i >= 0:
            best = i
    return best


def break_before(text: str, offset: int) -> str:
    """The line break that ends the line before the one starting at ``offset``; ``\\n`` when
    there is none (first line)."""
    if offset >= 2 and text[offset - 2:offset] == "\r\n":
        return "\r\n"
    if offset >= 1 and text[offset - 1] in _BREAK_CHARS:
        return text[offset - 1]
    return "\n"


class Positions:
    """Character offset -> :class:`Position`, counting lines as YAML does."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer(_BREAK, text)]

    def __call__(self, offset: int) -> Position:
        i = bisect_right(self.starts, offset) - 1
        return Position(i + 1, offset - self.starts[i] + 1, offset)

    def at(self, line: int, column: int) -> Position:
        """The position of a 1-based line and column."""
        return Position(line, column, self.starts[line - 1] + column - 1)


class EntryFix(NamedTuple):
    deployments: int  # index into HieraFile.deployments
    entry: int  # Entry.index
    edits: Tuple[Cut, ...]
    description: str  # one line: what the edits do (the fix's message)
    fixed: Tuple[Tuple[str, int, int], ...]  # (YAML path, line, column) of each debug removed

    @property
    def fixed_paths(self) -> Tuple[str, ...]:
        return tuple(p for p, _l, _c in self.fixed)


class Skipped(NamedTuple):
    """A ``debug`` key that is not rewritten, and why."""

    path: str  # YAML path of the debug key
    line: int
    column: int
    reason: str


class EntryPlan(NamedTuple):
    """What the migration does to one entry."""

    fix: Optional[EntryFix]  # None: nothing is rewritten
    skipped: Tuple[Skipped, ...]  # debug keys left alone, with the reason
    staged: FrozenSet[str]  # YAML paths of the releases that get stage: testservers
    carrier: Optional[str]  # YAML path of the debug key whose finding carries the edits
    migrated: bool  # the entry's debug: true is migrated (mw_kind and stages set)


_NOTHING = EntryPlan(None, (), frozenset(), None, False)


def refcounts(root: Optional[Node]) -> Dict[int, int]:
    """How many places of the document refer to each node (more than one: an alias)."""
    counts: Dict[int, int] = {}
    stack: List[Node] = [root] if root is not None else []
    while stack:
        n = stack.pop()
        c = counts.get(id(n), 0)
        counts[id(n)] = c + 1
        if c:
            continue
        if is_map(n):
            for k, v in n.value:
                stack.append(k)
                stack.append(v)
        elif is_seq(n):
            stack.extend(n.value)
    return counts


class _Refuse(Exception):
    pass


class Migration:
    """The migration of one :class:`~mwlint.model.HieraFile`, planned per entry on demand.

    The rules ask it for the fix of a finding: :meth:`debug_fix` (MW201), :meth:`kind_fix`
    (MW202) and :meth:`stage_fix` (MW203), and for why a key is left alone
    (:meth:`why_not`); :meth:`replace_scalar` gives any rule the edit of one value or key.
    ``--fix`` sees only the findings' fixes."""

    def __init__(self, hiera: HieraFile) -> None:
        self.hiera = hiera
        self._planner: Optional[Planner] = None
        self._plans: Dict[int, EntryPlan] = {}
        self._positions: Optional[Positions] = None
        self.counts: Optional[Dict[int, int]] = None  # see refcounts_of

    def of(self, entry: Entry) -> EntryPlan:
        plan = self._plans.get(id(entry))
        if plan is None:
            if self._planner is None:
                root = self.hiera.root
                # a model built without its document: the values only
                roots = [root] if root is not None else [d.node for d in self.hiera.deployments]
                self._planner = Planner(self.hiera.text, roots, self.hiera)
            plan = self._plans[id(entry)] = self._planner.plan_entry(entry)
        return plan

    def plans(self) -> List[EntryPlan]:
        """Every entry's plan, in document order."""
        return [self.of(e) for d in self.hiera.deployments for e in d.entries]

    def _where(self, plan: EntryPlan) -> Tuple[str, int, int]:
        assert plan.fix is not None
        return next(w for w in plan.fix.fixed if w[0] == plan.carrier)

    def debug_fix(self, entry: Entry, field: Field) -> Optional[Fix]:
        """The fix of the MW201 finding at ``field`` (a ``debug`` key of ``entry`` or of one
        of its releases): the entry's edits on one key, "repaired by" it on the others."""
        plan = self.of(entry)
        if plan.fix is None or field.path not in plan.fix.fixed_paths:
            return None
        if field.path != plan.carrier:
            return self._repaired(plan)
        fx = plan.fix
        pos = self.positions()
        edits = tuple(Edit(c.text, pos(c.start), pos(c.end)) for c in fx.edits)
        return Fix(fx.description, "safe", edits)

    def why_not(self, entry: Entry, field: Field) -> Optional[str]:
        """Why the ``debug`` key at ``field`` is not rewritten, or ``None`` (it is, or the
        entry has no plan)."""
        return next((sk.reason for sk in self.of(entry).skipped if sk.path == field.path),
                    None)

    def replace_scalar(self, field: Field, content: str, key: bool = False) -> Optional[Edit]:
        """:func:`replace_scalar` on this file: how a rule's fix rewrites one value or key."""
        return replace_scalar(self.hiera, field, content, key)

    def positions(self) -> "Positions":
        if self._positions is None:
            self._positions = Positions(self.hiera.text)
        return self._positions

    def _repaired(self, plan: EntryPlan) -> Fix:
        _path, line, column = self._where(plan)
        return Fix(f"repaired by the MW201 fix at line {line}", "safe", (),
                   repaired_by=("MW201", line, column))

    def kind_fix(self, entry: Entry) -> Optional[Fix]:
        """MW202 of a ``debug: true`` entry: repaired by its migration, when it is made."""
        plan = self.of(entry)
        return self._repaired(plan) if plan.migrated else None

    def stage_fix(self, release: Release) -> Optional[Fix]:
        """MW203 of a release of a ``debug: true`` entry: repaired when the migration gives
        it ``stage: testservers``."""
        plan = self.of(release.entry)
        return self._repaired(plan) if plan.migrated and release.path in plan.staged else None


def replacing(hiera: HieraFile, span: Span, content: str) -> Edit:
    """An edit of ``hiera``'s text that replaces the text of ``span`` (a node's span, as a
    rule sees it: :attr:`mwlint.model.Field.span` or ``key_span``) by ``content``."""
    pos = hiera.migration().positions()
    start = pos.at(span.line, span.column)
    end = pos.at(span.end_line, span.end_column)
    return Edit(content, start, end)


def replace_scalar(hiera: HieraFile, field: Field, content: str,
                   key: bool = False) -> Optional[Edit]:
    """The edit that writes ``content`` in place of ``field``'s value (``key``: its key),
    quoted as the old text was; ``None`` when that cannot be done faithfully (not a plain
    string scalar, a block scalar, reached through an alias, or a text that would need
    escapes)."""
    node = field.key if key else field.node
    if field.via_alias or not is_scalar(node) or node.tag != STR_TAG:
        return None
    if refcounts_of(hiera).get(id(node), 0) > 1:
        return None  # an anchored scalar used elsewhere: the edit would change both
    written = requoted(getattr(node, "style", None), content)
    if written is None:
        return None
    return replacing(hiera, field.key_span if key else field.span, written)


def refcounts_of(hiera: HieraFile) -> Dict[int, int]:
    """:func:`refcounts` of ``hiera``'s document, computed once per file."""
    m = hiera.migration()
    if m.counts is None:
        roots = [hiera.root] if hiera.root is not None else [d.node for d in hiera.deployments]
        counts: Dict[int, int] = {}
        for root in roots:
            for k, n in refcounts(root).items():
                counts[k] = counts.get(k, 0) + n
        m.counts = counts
    return m.counts


def requoted(style: Optional[str], content: str) -> Optional[str]:
    """``content`` written in the quoting ``style`` of a scalar (``None``: plain); ``None``
    when ``content`` cannot be written so without escapes (the fix is not offered)."""
    if style in (None, ""):
        return content if _PLAIN_WORD.match(content) else None
    if style in ('"', "'") and style not in content and "\\" not in content:
        return f"{style}{content}{style}"
    return None


_PLAIN_WORD = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


class Planner:
    """Plans the fixes of one file. ``roots`` holds the composed document (or the
    deployments values), ``hiera`` is its model."""

    def __init__(self, text: str, roots: Sequence[Optional[Node]], hiera: HieraFile) -> None:
        self.text = text
        self.hiera = hiera
        # summed as refcounts_of does (a list of values is no node: refcounts would not
        # look inside it, and nothing would count as shared)
        self.counts: Dict[int, int] = {}
        for root in roots:
            for k, n in refcounts(root).items():
                self.counts[k] = self.counts.get(k, 0) + n
        self._leftovers: List[Tuple[str, str]] = []
        self._by_path: Dict[str, Field] = {}
        self._staged: List[str] = []
        self._migrated = False

    # -- checks ------------------------------------------------------------------------
    def _shared(self, node: Optional[Node]) -> bool:
        return self.counts.get(id(node), 0) > 1

    def _editable(self, node: Node, what: str) -> None:
        if self._shared(node):
            raise _Refuse(f"{what} is shared through an anchor and an alias or merge key: "
                          f"editing it would also change the other place")

    # -- planning ------------------------------------------------------------------------
    def plan_entry(self, entry: Entry) -> EntryPlan:
        d = entry.deployments
        if d.form is None or d.shape_error is not None:
            return _NOTHING
        debug_fields = self._debug_fields(entry)
        if not debug_fields:
            return _NOTHING
        di = next(i for i, x in enumerate(self.hiera.deployments) if x is d)
        containers = [d.node]
        if d.form == "mapping":
            containers.append(d.top_fields["deployment_targets"].node)
        self._leftovers = []
        self._by_path = {}
        self._staged = []
        self._migrated = False
        skipped: List[Skipped] = []
        try:
            if entry.legacy is not None:
                raise _Refuse("the entry is in the legacy T299648 flat format (MW205): "
                              "convert it to a releases map first")
            if any(self._shared(n) for n in containers):
                raise _Refuse("the deployments list is shared through an anchor and an "
                              "alias: editing it would also change the other place")
            fix = self._plan_entry(di, entry)
            if fix is not None:
                check_disjoint(fix.edits)
        except (_Refuse, OverlapError) as e:
            reason = str(e)
            if isinstance(e, OverlapError):
                reason = "two edits would touch the same text: edit it by hand"
            for f in debug_fields:
                s = f.key_span
                skipped.append(Skipped(f.path, s.line, s.column, reason))
            return EntryPlan(None, tuple(skipped), frozenset(), None, False)
        for path, reason in self._leftovers:
            f = self._by_path[path]
            s = f.key_span
            skipped.append(Skipped(path, s.line, s.column, reason))
        if fix is None:
            return EntryPlan(None, tuple(skipped), frozenset(), None, False)
        entry_debug = entry.fields.get("debug")
        carrier = (entry_debug.path if entry_debug is not None
                   and entry_debug.path in fix.fixed_paths else fix.fixed[0][0])
        return EntryPlan(fix, tuple(skipped), frozenset(self._staged), carrier,
                         self._migrated)

    @staticmethod
    def _debug_fields(entry: Entry) -> List[Field]:
        out: List[Field] = []
        f = entry.fields.get("debug")
        if f is not None:
            out.append(f)
        if entry.legacy is None:
            for r in entry.releases:
                rf = r.fields.get("debug")
                if rf is not None:
                    out.append(rf)
        return out

    def _plan_entry(self, di: int, entry: Entry) -> Optional[EntryFix]:
        text = self.text
        if entry.via_alias:
            raise _Refuse("the entry is reached through an alias: editing it would also change "
                          "the anchored original")
        self._editable(entry.node, "the entry")
        if entry.has_complex_keys:
            # its contents are not modelled: a migration could miss a release there
            raise _Refuse("the entry has a key that is a list or a mapping, not a string "
                          "(MW103/MW104): fix that first")
        edits: List[Cut] = []
        fixed: List[Tuple[str, int, int]] = []
        what: List[str] = []
        quote = _quote_style(entry)

        # release-level debug keys: never valid; false/null is removed, true is a person's call
        for r in entry.releases:
            rf = r.fields.get("debug")
            if rf is None:
                continue
            self._by_path[rf.path] = rf
            if _truth(rf) is not False:
                self._leftovers.append((rf.path, (
                    f"debug: {_src(text, rf.node)} inside release {r.name!r} was never valid: "
                    f"decide whether the release should get mw_kind: debug-image and "
                    f"stage: testservers")))
                continue
            if rf.via_alias or r.via_alias or self._shared(r.node):
                self._leftovers.append((rf.path, "the release is reached through or shared by "
                                        "an alias or a merge key: edit it by hand"))
                continue
            edits.append(self._delete_pair(r.node, rf))
            fixed.append(_where(rf))
            what.append(f"removed debug from release {r.name}")

        f = entry.fields.get("debug")
        if f is not None:
            if f.via_alias:
                raise _Refuse("debug is reached through an alias or a merge key: edit the "
                              "anchored original by hand")
            truth = _truth(f)
            if truth is None:
                raise _Refuse(f"debug is not a boolean ({_src(text, f.node)}): a person "
                              f"decides what it meant")
            if truth is False:
                edits.append(self._delete_pair(entry.node, f))
                what.append(f"removed debug: {_src(text, f.node)}")
            else:
                edits_t, what_t = self._migrate(entry, f, quote)
                edits += edits_t
                what += what_t
            fixed.append(_where(f))
        if not edits:
            return None
        return EntryFix(di, entry.index, tuple(edits), "; ".join(what),
                        tuple(fixed))

    def _migrate(self, entry: Entry, f: Field, quote: str) -> Tuple[List[Cut], List[str]]:
        """``debug: true``: the namespace gets mw_kind: debug-image, each deployable release
        without a stage gets stage: testservers, debug goes."""
        edits: List[Cut] = []
        what: List[str] = []
        rel = entry.fields.get("releases")
        if rel is None or not rel.is_map:
            raise _Refuse("debug: true on an entry without a releases map: nothing to migrate "
                          "safely")
        if rel.via_alias:
            raise _Refuse("releases is reached through an alias or a merge key")
        self._editable(rel.node, "the releases map")
        kind = entry.fields.get("mw_kind")
        if kind is not None:
            if kind.via_alias:
                raise _Refuse("mw_kind is reached through an alias or a merge key")
            if not (kind.is_null or (kind.is_str and kind.value == DEBUG_KIND)):
                raise _Refuse(f"the namespace sets mw_kind: {_src(self.text, kind.node)} while "
                              f"debug: true asks for {DEBUG_KIND}: no faithful translation, a "
                              f"person decides")
        staged: List[str] = []
        for r in entry.releases:
            if r.via_alias:
                raise _Refuse(f"release {r.name!r} is reached through an alias or a merge key")
            if is_scalar(r.node) and r.node.tag == NULL_TAG and not self._shared(r.node):
                # "main:" (MW104): the release was meant as {} and gets its stage
                edits.append(self._fill_null_release(r, quote))
                staged.append(str(r.name))
                self._staged.append(r.path)
                continue
            if not is_map(r.node):
                raise _Refuse(f"release {r.name!r} is not a mapping (MW104): fix that first")
            self._editable(r.node, f"release {r.name!r}")
            rk = r.fields.get("mw_kind")
            if rk is not None and not rk.is_null and not (rk.is_str and rk.value == DEBUG_KIND):
                raise _Refuse(f"release {r.name!r} sets mw_kind: {_src(self.text, rk.node)} in a "
                              f"debug namespace: no faithful translation, a person decides")
            stage = r.fields.get("stage")
            if stage is not None and stage.is_str and stage.value == "canaries":
                # before April 2025 such a release was dropped, in the transition week sent
                # to testservers: mw_kind: debug-image would silently make it a debug image
                # at canaries
                raise _Refuse(f"release {r.name!r} says stage: canaries in a debug namespace: "
                              f"no faithful translation (scap once dropped it, then moved it "
                              f"to testservers), a person decides")
            if not r.deployable:
                continue
            if stage is None:
                edits.append(self._add_stage(r, quote))
                staged.append(str(r.name))
                self._staged.append(r.path)
            # another explicit stage (production) stays: its MW203 remains, a person decides
        if kind is None:
            # the debug pair becomes the mw_kind pair, in place: the key and the value are
            # replaced, whatever sits between them (colon, spaces, a comment) stays
            edits.append(Cut(f.key.start_mark.index, f.key.end_mark.index, "mw_kind"))
            edits.append(Cut(f.node.start_mark.index, f.node.end_mark.index,
                              f"{quote}{DEBUG_KIND}{quote}"))
            what.append(f"debug: {_src(self.text, f.node)} → mw_kind: {DEBUG_KIND}")
        elif kind.is_null:
            # a null kind means image; the namespace was meant to be a debug one
            edits.append(self._set_null(kind, f"{quote}{DEBUG_KIND}{quote}"))
            edits.append(self._delete_pair(entry.node, f))
            what.append(f"mw_kind: {_src(self.text, kind.node) or '(null)'} → {DEBUG_KIND}")
            what.append(f"removed debug: {_src(self.text, f.node)}")
        else:
            edits.append(self._delete_pair(entry.node, f))
            what.append(f"removed debug: {_src(self.text, f.node)} (mw_kind: {DEBUG_KIND} "
                        f"already set)")
        self._migrated = True
        if staged:
            what.append(f"stage: {TESTSERVERS} on " + ", ".join(staged))
        return edits, what

    # -- edits ---------------------------------------------------------------------------
    def _no_comment(self, start: int, end: int) -> None:
        if "#" in self.text[start:end]:
            raise _Refuse("a comment sits inside the text to rewrite: edit it by hand")

    def _delete_pair(self, mapping: Node, field: Field) -> Cut:
        """Remove ``key: value`` from a block or flow mapping."""
        text = self.text
        if not is_map(mapping):  # a field is only ever read from a mapping
            raise _Refuse("the key is not written in a mapping")
        pairs = mapping.value
        idx = next((i for i, (k, _v) in enumerate(pairs) if k is field.key), None)
        if idx is None:
            raise _Refuse("the key is not written in this mapping")
        k, v = pairs[idx]
        kstart = k.start_mark.index
        vend = max(v.end_mark.index, k.end_mark.index)
        if mapping.flow_style:
            # a comment inside the pair goes with it; one in the separator stays (refuse)
            if idx + 1 < len(pairs):
                end = pairs[idx + 1][0].start_mark.index
                self._no_comment(vend, end)
                return Cut(kstart, end, "")
            if idx > 0:
                pv = pairs[idx - 1][1]
                start = max(pv.end_mark.index, pairs[idx - 1][0].end_mark.index)
                self._no_comment(start, kstart)
                return Cut(start, vend, "")
            return Cut(kstart, vend, "")
        ls = line_start(text, kstart)
        lead = text[ls:kstart]
        le = line_end(text, vend)
        rest = text[vend:le].strip(" \t")
        if rest and not rest.startswith("#"):
            raise _Refuse("something follows the value on its line")
        if lead.strip(" \t") == "":
            # the pair has its lines to itself: remove them whole, with the line break
            end = le
            for b in ("\r\n", "\r", "\n", "\x85", "\u2028", "\u2029"):
                if text.startswith(b, le):
                    end = le + len(b)
                    break
            return Cut(ls, end, "")
        if lead.strip(" \t-") == "" and "-" in lead:
            # first key of a list item: the next key moves up onto the "- " line
            if idx + 1 >= len(pairs):
                raise _Refuse("debug is the only key of the entry")
            nxt = pairs[idx + 1][0].start_mark.index
            self._no_comment(kstart, vend)
            between = text[vend:nxt]
            if between.strip() == "":
                return Cut(kstart, nxt, "")
            # "- debug: false  # note": the comment stays on the "- " line
            rest = text[vend:le]
            if not rest.lstrip(" \t").startswith("#"):
                raise _Refuse("unexpected text after debug on the first line of the entry")
            return Cut(kstart, vend + len(rest) - len(rest.lstrip(" \t")), "")
        raise _Refuse("the key does not start its line")

    def _set_null(self, field: Field, value: str) -> Cut:
        """Give a null value (``~``, ``null`` or nothing) a value, in place."""
        node = field.node
        start, end = node.start_mark.index, node.end_mark.index
        if start == end:  # empty: "mw_kind:" -> "mw_kind: value"
            colon = self.text.find(":", field.key.end_mark.index)
            if colon < 0:
                raise _Refuse("unexpected layout of the null mw_kind")
            return Cut(colon + 1, colon + 1, " " + value)
        self._no_comment(start, end)
        return Cut(start, end, value)

    def _fill_null_release(self, release: Release, quote: str) -> Cut:
        """``main:`` or ``main: ~`` → ``main: {stage: testservers}``."""
        node = release.node
        value = "{" + f"stage: {quote}{TESTSERVERS}{quote}" + "}"
        start, end = node.start_mark.index, node.end_mark.index
        if start == end:
            colon = self.text.find(":", release.key.end_mark.index)
            if colon < 0:
                raise _Refuse(f"release {release.name!r}: unexpected layout")
            return Cut(colon + 1, colon + 1, " " + value)
        self._no_comment(start, end)
        return Cut(start, end, value)

    def _add_stage(self, release: Release, quote: str) -> Cut:
        text = self.text
        node = release.node
        if not is_map(node):  # _migrate refused any other release
            raise _Refuse(f"release {release.name!r} is not a mapping (MW104): fix that first")
        pair = f"stage: {quote}{TESTSERVERS}{quote}"
        if node.flow_style:
            close = node.end_mark.index - 1
            if text[close:close + 1] != "}":
                raise _Refuse(f"release {release.name!r}: unexpected flow mapping layout")
            if not node.value:
                opening = text.rfind("{", node.start_mark.index, close)
                if opening < 0 or text[opening + 1:close].strip() != "":
                    raise _Refuse(f"release {release.name!r}: unexpected flow mapping layout")
                return Cut(opening, close + 1, "{" + pair + "}")
            lk, lv = node.value[-1]
            vend = max(lv.end_mark.index, lk.end_mark.index)
            between = text[vend:close]
            if between.strip() == "":
                return Cut(vend, vend, ", " + pair)
            if between.strip() == ",":
                pos = vend + between.index(",") + 1
                return Cut(pos, pos, " " + pair)
            raise _Refuse(f"release {release.name!r}: a comment inside its flow mapping")
        first = node.value[0][0].start_mark.index
        ls = line_start(text, first)
        indent = text[ls:first]
        if indent.strip(" ") != "":
            raise _Refuse(f"release {release.name!r}: its first key does not start a line")
        return Cut(first, first, pair + break_before(text, ls) + indent)


def _where(field: Field) -> Tuple[str, int, int]:
    span = field.key_span
    return (field.path, span.line, span.column)


def _truth(field: Field) -> Optional[bool]:
    """True / False for a YAML boolean, False for null; None for anything else (a string or
    a number has no faithful translation: Puppet only ever accepted a Boolean)."""
    node = field.node
    if not is_scalar(node):
        return None
    if node.tag == NULL_TAG:
        return False
    if node.tag == BOOL_TAG:
        return bool(field.value)
    return None


def _quote_style(entry: Entry) -> str:
    """Quote inserted strings the way the entry quotes its flavours."""
    for name in ("mw_flavour", "web_flavour", "namespace"):
        f = entry.fields.get(name)
        if f is not None and is_scalar(f.node) and f.node.tag == STR_TAG:
            style = f.node.style
            return style if style in ('"', "'") else ""
    return ""


def _src(text: str, node: Node) -> str:
    s = text[node.start_mark.index:node.end_mark.index].strip()
    return s if len(s) <= 40 else s[:37] + "..."

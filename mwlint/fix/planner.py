"""What ``--fix`` would change, decided on the model, expressed as text edits.

The T389499 recipe (deployments-config.md §3.2), for entries of the ``releases``-map format:

* ``debug: true`` → ``mw_kind: debug-image`` on the namespace (unless the namespace already
  sets ``mw_kind: debug-image``) and ``stage: testservers`` on each deployable release that has
  no ``stage``; ``debug`` is removed. A release with an explicit other stage keeps it: MW203
  stays and a person decides. A release-level ``mw_kind`` other than ``debug-image``, or a
  namespace ``mw_kind`` other than ``debug-image``, has no faithful translation: the entry is
  left alone.
* ``debug: false`` (or null) is removed; nothing else changes.
* A ``debug`` key inside a release (never valid) is removed when false or null; a true one is
  left to a person.

Never rewritten: the legacy shapes (MW205), anything reached through an alias or a merge key,
any node that is shared (an anchor used elsewhere): an edit there would also change the
other place; and an entry with a key that is a list or a mapping (MW103/MW104), whose
contents the model does not hold.
"""

from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional, Tuple

from mwlint.fix.textedit import (
    Edit,
    OverlapError,
    break_before,
    check_disjoint,
    line_end,
    line_start,
)
from mwlint.parse.resolve import (
    BOOL_TAG,
    NULL_TAG,
    STR_TAG,
    is_map,
    is_scalar,
    is_seq,
)

DEBUG_KIND = "debug-image"
TESTSERVERS = "testservers"


class Op(NamedTuple):
    """One intended change of the model, on an entry (``release`` None) or a release."""

    action: str  # "delete", "set", or "make" (a null release becomes a mapping)
    release: Optional[object]  # the release's key node, None for the entry itself
    key: str
    value: Optional[str] = None


class EntryFix(NamedTuple):
    deployments: int  # index into HieraFile.deployments
    entry: int  # Entry.index
    edits: Tuple[Edit, ...]
    ops: Tuple[Op, ...]
    description: str  # one line, for the summary
    fixed: Tuple[Tuple[str, int, int], ...]  # (YAML path, line, column) of each debug removed
    notes: Tuple[Tuple[str, str, str], ...]  # (code, yaml path, why it remains)

    @property
    def fixed_paths(self) -> Tuple[str, ...]:
        return tuple(p for p, _l, _c in self.fixed)


class Skipped(NamedTuple):
    """A ``debug`` key that is not rewritten, and why."""

    path: str  # YAML path of the debug key
    line: int
    column: int
    reason: str


def refcounts(root) -> Dict[int, int]:
    """How many places of the document refer to each node (more than one: an alias)."""
    counts: Dict[int, int] = {}
    stack = [root] if root is not None else []
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


class Planner:
    """Plans the fixes of one file. ``root`` is the composed document, ``hiera`` its model."""

    def __init__(self, text: str, root, hiera):
        self.text = text
        self.hiera = hiera
        self.counts = refcounts(root)

    # -- checks ------------------------------------------------------------------------
    def _shared(self, node) -> bool:
        return self.counts.get(id(node), 0) > 1

    def _editable(self, node, what: str) -> None:
        if self._shared(node):
            raise _Refuse(f"{what} is shared through an anchor and an alias or merge key: "
                          f"editing it would also change the other place")

    # -- planning ------------------------------------------------------------------------
    def plan(self) -> Tuple[List[EntryFix], List[Skipped]]:
        fixes: List[EntryFix] = []
        skipped: List[Skipped] = []
        for di, d in enumerate(self.hiera.deployments):
            if d.form is None or d.shape_error is not None:
                continue
            containers = [d.node]
            if d.form == "mapping":
                containers.append(d.top_fields["deployment_targets"].node)
            container_shared = any(self._shared(n) for n in containers)
            for entry in d.entries:
                debug_fields = self._debug_fields(entry)
                if not debug_fields:
                    continue
                self._leftovers = []
                self._by_path = {}
                try:
                    if entry.legacy is not None:
                        raise _Refuse("the entry is in the legacy T299648 flat format (MW205): "
                                      "convert it to a releases map first")
                    if container_shared:
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
                    continue
                if fix is not None:
                    fixes.append(fix)
                for path, reason in self._leftovers:
                    f = self._by_path[path]
                    s = f.key_span
                    skipped.append(Skipped(path, s.line, s.column, reason))
        return fixes, skipped

    @staticmethod
    def _debug_fields(entry):
        out = []
        f = entry.fields.get("debug")
        if f is not None:
            out.append(f)
        if entry.legacy is None:
            for r in entry.releases:
                rf = r.fields.get("debug")
                if rf is not None:
                    out.append(rf)
        return out

    def _plan_entry(self, di: int, entry) -> Optional[EntryFix]:
        text = self.text
        if entry.via_alias:
            raise _Refuse("the entry is reached through an alias: editing it would also change "
                          "the anchored original")
        self._editable(entry.node, "the entry")
        if entry.has_complex_keys:
            # its contents are not modelled: a migration could miss a release there
            raise _Refuse("the entry has a key that is a list or a mapping, not a string "
                          "(MW103/MW104): fix that first")
        edits: List[Edit] = []
        ops: List[Op] = []
        notes: List[Tuple[str, str, str]] = []
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
            ops.append(Op("delete", r.key, "debug"))
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
                ops.append(Op("delete", None, "debug"))
                what.append(f"removed debug: {_src(text, f.node)}")
            else:
                edits_t, ops_t, notes_t, what_t = self._migrate(entry, f, quote)
                edits += edits_t
                ops += ops_t
                notes += notes_t
                what += what_t
            fixed.append(_where(f))
        if not edits:
            return None
        label = entry.namespace or f"entry {entry.index}"
        return EntryFix(di, entry.index, tuple(edits), tuple(ops),
                        f"{entry.path} ({label}): " + "; ".join(what), tuple(fixed),
                        tuple(notes))

    def _migrate(self, entry, f, quote):
        """``debug: true``: the namespace gets mw_kind: debug-image, each deployable release
        without a stage gets stage: testservers, debug goes."""
        edits: List[Edit] = []
        ops: List[Op] = []
        notes: List[Tuple[str, str, str]] = []
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
                ops.append(Op("make", r.key, "stage", TESTSERVERS))
                staged.append(str(r.name))
                continue
            if not is_map(r.node):
                raise _Refuse(f"release {r.name!r} is not a mapping (MW104): fix that first")
            self._editable(r.node, f"release {r.name!r}")
            rk = r.fields.get("mw_kind")
            if rk is not None and not rk.is_null and not (rk.is_str and rk.value == DEBUG_KIND):
                raise _Refuse(f"release {r.name!r} sets mw_kind: {_src(self.text, rk.node)} in a "
                              f"debug namespace: no faithful translation, a person decides")
            stage = r.fields.get("stage")
            if not r.deployable:
                continue
            if stage is None:
                edits.append(self._add_stage(r, quote))
                ops.append(Op("set", r.key, "stage", TESTSERVERS))
                staged.append(str(r.name))
            elif not (stage.is_str and stage.value == TESTSERVERS):
                notes.append(("MW203", r.path, (
                    f"release {r.name!r} says stage: {_src(self.text, stage.node)} in a debug "
                    f"namespace; that has no faithful translation (scap dropped it before "
                    f"April 2025, then moved it to testservers): a person decides")))
        if kind is None:
            # the debug pair becomes the mw_kind pair, in place: the key and the value are
            # replaced, whatever sits between them (colon, spaces, a comment) stays
            edits.append(Edit(f.key.start_mark.index, f.key.end_mark.index, "mw_kind"))
            edits.append(Edit(f.node.start_mark.index, f.node.end_mark.index,
                              f"{quote}{DEBUG_KIND}{quote}"))
            ops.append(Op("set", None, "mw_kind", DEBUG_KIND))
            what.append(f"debug: {_src(self.text, f.node)} → mw_kind: {DEBUG_KIND}")
        elif kind.is_null:
            # a null kind means image; the namespace was meant to be a debug one
            edits.append(self._set_null(kind, f"{quote}{DEBUG_KIND}{quote}"))
            edits.append(self._delete_pair(entry.node, f))
            ops.append(Op("set", None, "mw_kind", DEBUG_KIND))
            what.append(f"mw_kind: {_src(self.text, kind.node) or '(null)'} → {DEBUG_KIND}")
            what.append(f"removed debug: {_src(self.text, f.node)}")
        else:
            edits.append(self._delete_pair(entry.node, f))
            what.append(f"removed debug: {_src(self.text, f.node)} (mw_kind: {DEBUG_KIND} "
                        f"already set)")
        ops.append(Op("delete", None, "debug"))
        if staged:
            what.append(f"stage: {TESTSERVERS} on " + ", ".join(staged))
        return edits, ops, notes, what

    # -- edits ---------------------------------------------------------------------------
    def _no_comment(self, start: int, end: int) -> None:
        if "#" in self.text[start:end]:
            raise _Refuse("a comment sits inside the text to rewrite: edit it by hand")

    def _delete_pair(self, mapping, field) -> Edit:
        """Remove ``key: value`` from a block or flow mapping."""
        text = self.text
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
                return Edit(kstart, end, "")
            if idx > 0:
                pv = pairs[idx - 1][1]
                start = max(pv.end_mark.index, pairs[idx - 1][0].end_mark.index)
                self._no_comment(start, kstart)
                return Edit(start, vend, "")
            return Edit(kstart, vend, "")
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
            return Edit(ls, end, "")
        if lead.strip(" \t-") == "" and "-" in lead:
            # first key of a list item: the next key moves up onto the "- " line
            if idx + 1 >= len(pairs):
                raise _Refuse("debug is the only key of the entry")
            nxt = pairs[idx + 1][0].start_mark.index
            self._no_comment(kstart, vend)
            between = text[vend:nxt]
            if between.strip() == "":
                return Edit(kstart, nxt, "")
            # "- debug: false  # note": the comment stays on the "- " line
            rest = text[vend:le]
            if not rest.lstrip(" \t").startswith("#"):
                raise _Refuse("unexpected text after debug on the first line of the entry")
            return Edit(kstart, vend + len(rest) - len(rest.lstrip(" \t")), "")
        raise _Refuse("the key does not start its line")

    def _set_null(self, field, value: str) -> Edit:
        """Give a null value (``~``, ``null`` or nothing) a value, in place."""
        node = field.node
        start, end = node.start_mark.index, node.end_mark.index
        if start == end:  # empty: "mw_kind:" -> "mw_kind: value"
            colon = self.text.find(":", field.key.end_mark.index)
            if colon < 0:
                raise _Refuse("unexpected layout of the null mw_kind")
            return Edit(colon + 1, colon + 1, " " + value)
        self._no_comment(start, end)
        return Edit(start, end, value)

    def _fill_null_release(self, release, quote: str) -> Edit:
        """``main:`` or ``main: ~`` → ``main: {stage: testservers}``."""
        node = release.node
        value = "{" + f"stage: {quote}{TESTSERVERS}{quote}" + "}"
        start, end = node.start_mark.index, node.end_mark.index
        if start == end:
            colon = self.text.find(":", release.key.end_mark.index)
            if colon < 0:
                raise _Refuse(f"release {release.name!r}: unexpected layout")
            return Edit(colon + 1, colon + 1, " " + value)
        self._no_comment(start, end)
        return Edit(start, end, value)

    def _add_stage(self, release, quote: str) -> Edit:
        text = self.text
        node = release.node
        pair = f"stage: {quote}{TESTSERVERS}{quote}"
        if node.flow_style:
            close = node.end_mark.index - 1
            if text[close:close + 1] != "}":
                raise _Refuse(f"release {release.name!r}: unexpected flow mapping layout")
            if not node.value:
                opening = text.rfind("{", node.start_mark.index, close)
                if opening < 0 or text[opening + 1:close].strip() != "":
                    raise _Refuse(f"release {release.name!r}: unexpected flow mapping layout")
                return Edit(opening, close + 1, "{" + pair + "}")
            lk, lv = node.value[-1]
            vend = max(lv.end_mark.index, lk.end_mark.index)
            between = text[vend:close]
            if between.strip() == "":
                return Edit(vend, vend, ", " + pair)
            if between.strip() == ",":
                pos = vend + between.index(",") + 1
                return Edit(pos, pos, " " + pair)
            raise _Refuse(f"release {release.name!r}: a comment inside its flow mapping")
        first = node.value[0][0].start_mark.index
        ls = line_start(text, first)
        indent = text[ls:first]
        if indent.strip(" ") != "":
            raise _Refuse(f"release {release.name!r}: its first key does not start a line")
        return Edit(first, first, pair + break_before(text, ls) + indent)


def _where(field) -> Tuple[str, int, int]:
    span = field.key_span
    return (field.path, span.line, span.column)


def _truth(field) -> Optional[bool]:
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


def _quote_style(entry) -> str:
    """Quote inserted strings the way the entry quotes its flavours."""
    for name in ("mw_flavour", "web_flavour", "namespace"):
        f = entry.fields.get(name)
        if f is not None and is_scalar(f.node) and f.node.tag == STR_TAG:
            style = f.node.style
            return style if style in ('"', "'") else ""
    return ""


def _src(text: str, node) -> str:
    s = text[node.start_mark.index:node.end_mark.index].strip()
    return s if len(s) <= 40 else s[:37] + "..."

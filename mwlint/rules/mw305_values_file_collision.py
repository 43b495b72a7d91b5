from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import cap_list, quote
from mwlint.rules.base import Rule, fit
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, Iterable


class ValuesFileCollision(Rule):
    code = "MW305"
    name = "values-file-collision"
    severity = "error"
    options = ("default-clusters",)
    summary = (
        "Two distinct (namespace, release, cluster) records yield the same values file "
        "name <namespace>-<release>-<cluster>.yaml (e.g. namespace a-b + release c and "
        "namespace a + release b-c)."
    )
    rationale = (
        "scap writes one values file per record into /etc/helmfile-defaults/mediawiki/"
        "release/, named <namespace>-<release>-<cluster>.yaml, and does not detect "
        "collisions: the second record overwrites the first, "
        "so one release is deployed with the other's images. deploy: false records count "
        "too (their values files are still written). The same namespace twice is MW304."
    )
    bad = """
- namespace: mw-api
  releases: {int-main: {}}
- namespace: mw-api-int
  releases: {main: {}}
"""
    good = """
- namespace: mw-api-int
  releases: {main: {}}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            first: Dict[Any, Any] = {}  # values file -> first record writing it
            groups: Dict[Any, Any] = {}  # (first pair, second pair, second entry) -> [files], entry
            for rec in d.records():
                name = rec.values_file
                prev = first.get(name)
                if prev is None:
                    first[name] = rec
                    continue
                if (prev.namespace, prev.release, prev.cluster) == (
                        rec.namespace, rec.release, rec.cluster):
                    continue  # the same record twice: MW304
                entry = rec.source.entry
                key = ((prev.namespace, prev.release), (rec.namespace, rec.release), entry)
                if key not in groups:
                    groups[key] = ([], entry, prev, rec)
                if name not in groups[key][0]:
                    groups[key][0].append(name)
            for (_p1, _p2, _id), (files, entry, prev, rec) in groups.items():
                prev_entry = prev.source.entry
                where = (f"line {prev_entry.span.line}"
                         if prev_entry is not entry else "the same entry")
                more = f" and {len(files) - 1} more" if len(files) > 1 else ""
                head = (f"{quote(f'{rec.namespace}/{rec.release}')} overwrites the values file "
                        f"of {quote(f'{prev.namespace}/{prev.release}')} ({where})")
                file = f"{cap_list([files[0]])}{more}"
                msg, help = fit(f"{head}: {file}", head,
                                "rename one of the releases (or namespaces)", f"the file: {file}")
                yield self.at(hiera, entry, msg, help=help,
                              context=(rec.namespace, rec.release, "values_file", files[0]))

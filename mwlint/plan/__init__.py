"""``mwlint plan``: what scap would do with a deployments config, stage by stage.

scap expands every (non-legacy) entry into one record per cluster × release
(deployments-config.md §1.4) and applies the deployable records stage by stage, in order
testservers → canaries → production (§4); ``deploy: false`` records get their values file
but are never applied. A plan lists them in that order, then the records that are not
deployed, with what each record needs: kind, flavours, helmfile dir, values file, and the
image references when a build report is given (§6.4).

Library use::

    from mwlint.plan import plan_text
    plan = plan_text(yaml_text, "hieradata/role/common/deployment_server/kubernetes.yaml")
    [r.release for r in plan.stage("testservers")]

:func:`diff_plans` compares two plans (``mwlint plan --against REV``).
"""

from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from mwlint.engine import load_model
from mwlint.findings import Finding
from mwlint.model import HieraFile
from mwlint.model.types import STAGES
from mwlint.plan.supervision import CheckChange, Supervision, supervision_of
from mwlint.settings import Settings
from mwlint.source import InputProblem, read_file

STAGE_ORDER = ("testservers", "canaries", "production")
HELMFILE_ROOT = "/srv/deployment-charts"
VALUES_DIR = "/etc/helmfile-defaults/mediawiki/release"
# the fields a plan difference reports, in this order
COMPARED = ("stage", "deploy", "kind", "mw_flavour", "web_flavour", "dir", "scope")


class PlanRecord(NamedTuple):
    namespace: str
    release: str
    cluster: str
    stage: object
    deploy: bool
    kind: str
    mw_flavour: object
    web_flavour: object
    dir: object
    scope: object
    helmfile_dir: str  # relative to the deployment-charts checkout
    values_file: str  # file name in the values directory
    line: int  # the release key's line
    yaml_path: str
    mw_image: Optional[str] = None  # with a report
    web_image: Optional[str] = None
    php_version: Optional[str] = None

    def as_dict(self, with_images: bool = False) -> dict:
        d = {
            "namespace": self.namespace, "release": self.release, "cluster": self.cluster,
            "stage": self.stage, "deploy": self.deploy, "kind": self.kind,
            "mw_flavour": self.mw_flavour, "web_flavour": self.web_flavour, "dir": self.dir,
            "scope": self.scope, "helmfile_dir": self.helmfile_dir,
            "values_file": self.values_file, "line": self.line, "yaml_path": self.yaml_path,
        }
        if with_images:
            d.update(mw_image=self.mw_image, web_image=self.web_image,
                     php_version=self.php_version)
        return d


class FilePlan(NamedTuple):
    path: str
    keys: Tuple[str, ...]  # short names of the deployments keys planned
    default_clusters: Tuple[str, ...]
    default_clusters_origin: str
    records: Tuple[PlanRecord, ...]  # document order
    problems: Tuple[str, ...] = ()  # why scap would refuse the config or stop the sync
    skipped: Tuple[str, ...] = ()  # what the plan leaves out, and why
    report: Optional[str] = None  # the build report's path, when one was given
    notes: Tuple[str, ...] = ()  # what a reader could expect but scap does not do
    # the checks after each stage, the targets none watches (mwlint.plan.supervision)
    supervision: Optional[Supervision] = None

    def stage(self, name: str) -> List[PlanRecord]:
        """The deployable records applied at stage ``name``."""
        return [r for r in self.records if r.deploy and r.stage == name]

    @property
    def not_deployed(self) -> List[PlanRecord]:
        return [r for r in self.records if not r.deploy]

    @property
    def invalid(self) -> List[PlanRecord]:
        """Deployable records whose stage is none of the three (scap refuses the config)."""
        return [r for r in self.records if r.deploy and r.stage not in STAGE_ORDER]

    def summary(self) -> Dict[str, int]:
        out = {"records": len(self.records)}
        for s in STAGE_ORDER:
            out[s] = len(self.stage(s))
        out["not_deployed"] = len(self.not_deployed)
        out["invalid_stage"] = len(self.invalid)
        return out


class PlanError(Exception):
    """A file that cannot be planned at all (unreadable, not YAML)."""


def plan_hiera(hiera, report=None, report_path: Optional[str] = None) -> FilePlan:
    """The plan of one modelled file (:class:`mwlint.model.HieraFile`)."""

    records: List[PlanRecord] = []
    problems: List[str] = []
    skipped: List[str] = []
    notes: List[str] = []
    keys = []
    clusters: Tuple[str, ...] = ("eqiad", "codfw")
    origin = "default"
    for d in hiera.deployments:
        keys.append(d.short_name)
        clusters, origin = d.default_clusters, d.default_clusters_origin
        if d.shape_error is not None:
            problems.append(f"{d.prefix}: scap refuses the config: {d.shape_error[0]}")
            continue
        if d.legacy_shape is not None and not d.entries:
            skipped.append(f"{d.prefix}: a {_generation(d.legacy_shape)} value (MW205): "
                           "nothing in it is planned")
            continue
        for i, _node, ipath, _msg in d.bad_entries:
            problems.append(f"{ipath}: entry {i} is not a mapping: scap refuses the config")
        for e in d.entries:
            if e.legacy is not None:
                skipped.append(f"{e.path} ({e.label}): legacy T299648 flat entry (MW205): "
                               "scap no longer reads it; not planned")
                continue
            if e.namespace is None:
                problems.append(f"{e.path}: no namespace: scap fails loading the config")
                continue
            rel = e.fields.get("releases")
            if rel is None or not rel.is_map:
                problems.append(f"{e.path} ({e.label}): no releases map: scap fails loading "
                                "the config")
                continue
            cl = e.clusters()
            if cl is None:
                problems.append(f"{e.path} ({e.label}): clusters is not a list: scap fails "
                                "loading the config")
                continue
            if not cl:
                skipped.append(f"{e.path} ({e.label}): clusters: [] yields no record")
                continue
            if e.debug_true:
                notes.append(f"{e.path} ({e.label}): debug: true is ignored by scap since "
                             "1140ee83 (April 2025): its releases are planned with their own "
                             "mw_kind and stage (MW201; mwlint --fix migrates it)")
            d_dir = e.dir.value
            for r in e.releases:
                if not isinstance(r.name, str):
                    problems.append(f"{r.path}: release name {r.name!r} is not a string")
                    continue
                stage = r.stage.value
                if not (isinstance(stage, str) and stage in STAGES):
                    problems.append(f"{r.path}: stage {stage!r} is not a stage: scap refuses "
                                    "to load the config (unsupported stage)")
                mwf = r.effective("mw_flavour").value
                wf = r.effective("web_flavour").value
                for name, v in (("mw_flavour", mwf), ("web_flavour", wf)):
                    if not isinstance(v, str) or not v:
                        problems.append(f"{r.path}: no effective {name}: scap refuses to "
                                        "load the config")
                kind = r.kind.value
                for c in cl:
                    rec = PlanRecord(
                        e.namespace, r.name, c, stage, r.deployable, str(kind), mwf, wf,
                        d_dir, e.scope.value, f"helmfile.d/{d_dir}/{e.namespace}",
                        f"{e.namespace}-{r.name}-{c}.yaml", r.span.line, r.path)
                    if report is not None:
                        rec = _resolve(rec, report, problems)
                    records.append(rec)
    return FilePlan(hiera.path, tuple(keys), tuple(clusters), origin, tuple(records),
                    tuple(dict.fromkeys(problems)), tuple(skipped), report_path,
                    tuple(notes), supervision_of(hiera.deployments, records))


def _generation(code: str) -> str:
    return {"G1": "2022 hash", "G2": "list of one-key hashes"}.get(code, code)


def _resolve(rec: PlanRecord, report, problems: List[str]) -> PlanRecord:
    """scap's lookup (deployments-config.md §6.4) for one record."""
    mw = report.image_name("mediawiki", str(rec.mw_flavour), rec.kind)
    web = report.image_name("webserver", str(rec.web_flavour), "image")
    meta = report.metadata("mediawiki", str(rec.mw_flavour)) or {}
    php = meta.get("php_version") if isinstance(meta, dict) else None
    where = f"{rec.namespace}/{rec.release}"
    if mw is None:
        if report.flavour("mediawiki", str(rec.mw_flavour)) is None:
            problems.append(f"{where}: image flavour {rec.mw_flavour!r} not found among built "
                            "images: scap stops after the build (MW402)")
        else:
            problems.append(f"{where}: image kind {rec.kind!r} not found among built images "
                            f"for flavour {rec.mw_flavour!r}: scap stops after the build "
                            "(MW403)")
    if web is None:
        problems.append(f"{where}: web flavour {rec.web_flavour!r} has no image in the "
                        "report: scap stops after the build (MW402/MW404)")
    return rec._replace(mw_image=mw, web_image=web,
                        php_version=php if isinstance(php, str) else None)


def load_hiera(text: str, path: str, settings: Optional[Settings] = None
               ) -> Optional[HieraFile]:
    """The model of ``text`` (``None`` when it holds no deployments key); :class:`PlanError`
    when it cannot be parsed (the engine's parse -> locate -> model stage)."""
    model = load_model(text, path, settings or Settings())
    if isinstance(model, Finding):
        raise PlanError(cannot_plan(model))
    return model


def cannot_plan(stop: Finding) -> str:
    """What ``plan`` says of a file whose pipeline stopped before a model (MW001, MW003)."""
    return f"{stop.path}:{stop.line}:{stop.column}: cannot plan: {stop.message}"


def plan_text(text: str, path: str = "<string>", settings=None, report=None,
              report_path: Optional[str] = None) -> Optional[FilePlan]:
    """The plan of YAML text read as file ``path``; ``None`` without a deployments key."""
    hiera = load_hiera(text, path, settings)
    if hiera is None:
        return None
    return plan_hiera(hiera, report, report_path)


def read_source(path: str, settings) -> Optional[str]:
    """A file's text as the linter reads it; ``None`` when it holds no deployments key;
    :class:`PlanError` when it cannot be read."""
    outcome = read_file(path, path, settings.max_file_size)
    if outcome is None:
        return None
    if isinstance(outcome, InputProblem):
        raise PlanError(f"{path}:{outcome.line}:{outcome.column}: cannot plan: "
                        f"{outcome.message}")
    return outcome.text


# -- differences ------------------------------------------------------------------------

class FieldChange(NamedTuple):
    field: str
    old: object
    new: object
    clusters: Tuple[str, ...] = ()  # empty: every cluster the release keeps


class ReleaseChange(NamedTuple):
    namespace: str
    release: str
    change: str  # "added", "removed" or "changed"
    clusters: Tuple[str, ...] = ()  # added/removed: its clusters; changed: all it has now
    clusters_added: Tuple[str, ...] = ()
    clusters_removed: Tuple[str, ...] = ()
    fields: Tuple[FieldChange, ...] = ()
    # the release as the newer side has it (the older for a removed one): deployed or not
    # (deploy: false), and its stage (where a not-deployed release lands when re-enabled)
    deploy: bool = True
    stage: object = None

    def as_dict(self) -> dict:
        return {
            "namespace": self.namespace, "release": self.release, "change": self.change,
            "clusters": list(self.clusters), "clusters_added": list(self.clusters_added),
            "clusters_removed": list(self.clusters_removed),
            "fields": [{"field": f.field, "old": f.old, "new": f.new,
                        "clusters": list(f.clusters)} for f in self.fields],
            "deploy": self.deploy, "stage": self.stage,
        }


def _by_release(records) -> Dict[Tuple[str, str], Dict[str, PlanRecord]]:
    out: Dict[Tuple[str, str], Dict[str, PlanRecord]] = {}
    for r in records:
        out.setdefault((r.namespace, r.release), {}).setdefault(r.cluster, r)
    return out


def diff_plans(old: Optional[FilePlan], new: Optional[FilePlan]) -> List[ReleaseChange]:
    """What changes from plan ``old`` to plan ``new``, per (namespace, release), in the new
    plan's order (removed releases last): added or removed releases, clusters added or
    removed, and every compared field that changes (stage, deploy, kind, flavours, dir,
    scope), once when all clusters agree, else per cluster."""
    a = _by_release(old.records if old else ())
    b = _by_release(new.records if new else ())
    out: List[ReleaseChange] = []
    for key, now in b.items():
        ns, rel = key
        before = a.get(key)
        state = _state(now)
        if before is None:
            out.append(ReleaseChange(ns, rel, "added", tuple(now), **state))
            continue
        common = [c for c in now if c in before]
        fields: List[FieldChange] = []
        for name in COMPARED:
            pairs: Dict[Tuple[object, object], List[str]] = {}
            for c in common:
                o, n = getattr(before[c], name), getattr(now[c], name)
                if o != n:
                    pairs.setdefault((o, n), []).append(c)
            for (o, n), cs in pairs.items():
                everywhere = len(pairs) == 1 and len(cs) == len(common)
                fields.append(FieldChange(name, o, n, () if everywhere else tuple(cs)))
        added = tuple(c for c in now if c not in before)
        removed = tuple(c for c in before if c not in now)
        if fields or added or removed:
            out.append(ReleaseChange(ns, rel, "changed", tuple(now), added, removed,
                                     tuple(fields), **state))
    for key, before in a.items():
        if key not in b:
            out.append(ReleaseChange(key[0], key[1], "removed", tuple(before),
                                     **_state(before)))
    return out


def _state(records: Dict[str, PlanRecord]) -> dict:
    """deploy and stage of a release's records: not deployed only when no cluster deploys
    it; the stage of its first record."""
    first = next(iter(records.values()))
    return {"deploy": any(r.deploy for r in records.values()), "stage": first.stage}


class PlanSide(NamedTuple):
    """One side of a difference: its plan (None without a deployments key) and the errors
    of its lint (the findings of severity error, as ``mwlint check`` reports them)."""
    plan: Optional[FilePlan]
    errors: Tuple[Finding, ...] = ()

    @property
    def refused(self) -> bool:
        """scap would not get through this config: it refuses to load it, or stops after
        the build (the plan's problems)."""
        return self.plan is not None and bool(self.plan.problems)


class PlanDiff(NamedTuple):
    path: str
    rev: str
    existed: bool  # the file is in the revision
    changes: List[ReleaseChange]
    old: PlanSide = PlanSide(None)
    new: PlanSide = PlanSide(None)
    checks: Tuple[CheckChange, ...] = ()  # supervision: checks added, removed, changed


def side_errors(findings: Sequence[Finding]) -> Tuple[Finding, ...]:
    return tuple(f for f in findings if f.severity == "error")


__all__ = ["FilePlan", "PlanRecord", "PlanError", "ReleaseChange", "FieldChange", "PlanSide",
           "PlanDiff", "plan_hiera", "plan_text", "load_hiera", "read_source", "diff_plans",
           "cannot_plan", "side_errors", "STAGE_ORDER"]

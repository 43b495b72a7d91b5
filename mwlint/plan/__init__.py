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

from mwlint.engine import RunOptions, check_report, lint_buffer, load_model
from mwlint.families.mediawiki import NAME as MEDIAWIKI_FAMILY
from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.plan.model import (
    Change,
    CheckItem,
    FieldChange,
    PlanDiff,
    PlanSide,
    Record,
    diff_records,
    side_errors,
)
from mwlint.plan.supervision import Supervision, supervision_of
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from mwlint.report.reader import BuildReport

STAGE_ORDER = ("testservers", "canaries", "production")
HELMFILE_ROOT = "/srv/deployment-charts"
VALUES_DIR = "/etc/helmfile-defaults/mediawiki/release"


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

    def as_dict(self, with_images: bool = False) -> Dict[str, object]:
        d: Dict[str, object] = {
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


# the rules whose errors mean scap would not get through the config: it refuses (or fails)
# to load it, or stops after the build, or before deploying (the plan shows their findings:
# it never judges a config a second time)
REFUSING = frozenset({
    "MW001", "MW003", "MW101", "MW102", "MW104", "MW105", "MW106", "MW304", "MW402",
    "MW403", "MW404", "MW501", "MW601", "MW602", "MW603", "MW604", "MW605", "MW606",
    "MW607"})


def refusals(verdicts: Sequence[Finding], path: Optional[str] = None) -> Tuple[str, ...]:
    """The findings among ``verdicts`` (of file ``path``, when given) that say scap would not
    get through the config, one line each."""
    return tuple(dict.fromkeys(
        f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in verdicts
        if f.severity == "error" and f.code in REFUSING and (path is None or f.path == path)))


def plan_hiera(hiera: HieraFile, report: Optional[BuildReport] = None,
               report_path: Optional[str] = None,
               verdicts: Sequence[Finding] = ()) -> FilePlan:
    """The plan of one modelled file (:class:`mwlint.model.HieraFile`): its records as the
    model expands them (:meth:`Deployments.records`), and why scap would not get through it
    from ``verdicts``, the findings of the run on that file."""

    records: List[PlanRecord] = []
    skipped: List[str] = []
    notes: List[str] = []
    keys = []
    clusters: Tuple[str, ...] = ("eqiad", "codfw")
    origin = "default"
    for d in hiera.deployments:
        keys.append(d.short_name)
        clusters, origin = d.default_clusters, d.default_clusters_origin
        if d.shape_error is not None:
            continue
        if d.legacy_shape is not None and not d.entries:
            skipped.append(f"{d.prefix}: a {_generation(d.legacy_shape)} value (MW205): "
                           "nothing in it is planned")
            continue
        for e in d.entries:
            if e.legacy is not None:
                skipped.append(f"{e.path} ({e.label}): legacy T299648 flat entry (MW205): "
                               "scap no longer reads it; not planned")
            elif e.namespace is not None and e.clusters() == ():
                skipped.append(f"{e.path} ({e.label}): clusters: [] yields no record")
            elif e.namespace is not None and e.debug_true:
                notes.append(f"{e.path} ({e.label}): debug: true is ignored by scap since "
                             "1140ee83 (April 2025): its releases are planned with their own "
                             "mw_kind and stage (MW201; mwlint --fix migrates it)")
        for r in d.records():
            rec = PlanRecord(
                r.namespace, r.release, r.cluster, r.stage, r.deploy, str(r.kind),
                r.mw_flavour, r.web_flavour, r.dir, r.scope, r.helmfile_dir, r.values_file,
                r.source.span.line, r.source.path)
            if report is not None:
                rec = _resolve(rec, report)
            records.append(rec)
    return FilePlan(hiera.path, tuple(keys), tuple(clusters), origin, tuple(records),
                    refusals(verdicts, hiera.path), tuple(skipped), report_path,
                    tuple(notes), supervision_of(hiera.deployments, records))


def _generation(code: str) -> str:
    return {"G1": "2022 hash", "G2": "list of one-key hashes"}.get(code, code)


def _resolve(rec: PlanRecord, report: BuildReport) -> PlanRecord:
    """scap's lookup (deployments-config.md §6.4) for one record (MW402-MW404 say when it
    finds nothing)."""
    mw = report.image_name("mediawiki", str(rec.mw_flavour), rec.kind)
    web = report.image_name("webserver", str(rec.web_flavour), "image")
    meta = report.metadata("mediawiki", str(rec.mw_flavour)) or {}
    php = meta.get("php_version") if isinstance(meta, dict) else None
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


def plan_text(text: str, path: str = "<string>", settings: Optional[Settings] = None,
              report: Optional[BuildReport] = None, report_path: Optional[str] = None
              ) -> Optional[FilePlan]:
    """The plan of YAML text read as file ``path``; ``None`` without a deployments key. The
    text is linted once (the same pipeline as ``check``): its findings are the verdicts."""
    settings = settings or Settings()
    seen: List[HieraFile] = []
    stops: List[Finding] = []
    result = lint_buffer(text, path, settings,
                         RunOptions(model_hook=seen.append, on_stop=stops.append))
    if stops:
        raise PlanError(cannot_plan(stops[0]))
    if not seen or not seen[0].deployments:
        return None
    verdicts = list(result.findings)
    if report is not None:
        verdicts += check_report(report, seen, settings)[0]
    return plan_hiera(seen[0], report, report_path, verdicts)


# -- the family-neutral records and differences ------------------------------------------

MEDIAWIKI = MEDIAWIKI_FAMILY  # the name of the family (mwlint.families.mediawiki)
# what a MediaWiki record's change compares, in this order; the first two choose the image
_FIELDS = ("stage", "deploy", "kind", "mw_flavour", "web_flavour", "clusters", "dir", "scope")
IMAGE_FIELDS = ("kind", "mw_flavour", "web_flavour")


def rank(stage: object) -> int:
    """A stage's place in the run order (an unknown stage after the three)."""
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER)


def records_of(plan: Optional[FilePlan]) -> Tuple[Record, ...]:
    """The plan's records in the neutral model: one per (namespace, release), its clusters
    a field of it."""
    if plan is None:
        return ()
    by: Dict[Tuple[str, str], List[PlanRecord]] = {}
    for r in plan.records:
        by.setdefault((r.namespace, r.release), []).append(r)
    out = []
    for (ns, rel), rs in by.items():
        first = rs[0]
        deploy = any(r.deploy for r in rs)
        stage = first.stage
        label = stage if isinstance(stage, str) and stage in STAGE_ORDER else \
            f"stage {_s(stage)}, which is not a stage"
        fields = (("stage", stage), ("deploy", deploy), ("kind", first.kind),
                  ("mw_flavour", first.mw_flavour), ("web_flavour", first.web_flavour),
                  ("clusters", tuple(dict.fromkeys(r.cluster for r in rs))),
                  ("dir", first.dir), ("scope", first.scope))
        out.append(Record(MEDIAWIKI, ns, rel, label, rank(stage), deploy,
                          deploy and stage == "production", fields, IMAGE_FIELDS))
    return tuple(out)


def _s(v: object) -> str:
    return "~" if v is None else "true" if v is True else "false" if v is False else str(v)


def check_items(plan: Optional[FilePlan]) -> Tuple[CheckItem, ...]:
    """The plan's supervision checks in the neutral model (rendered: mwlint.plan.review)."""
    sup = plan.supervision if plan is not None else None
    if sup is None:
        return ()
    return tuple(CheckItem(MEDIAWIKI, c.stage, rank(c.stage), c.key,
                           f"{c.describe()} ({c.origin()})", c.threshold)
                 for c in sup.declared)


def diff_plans(old: Optional[FilePlan], new: Optional[FilePlan]) -> List[Change]:
    """What changes from plan ``old`` to plan ``new``, per (namespace, release), in the new
    plan's order (removed releases last): every compared field that changes, clusters
    included."""
    return diff_records(records_of(old), records_of(new))


__all__ = ["FilePlan", "PlanRecord", "PlanError", "Change", "FieldChange", "PlanSide",
           "PlanDiff", "plan_hiera", "plan_text", "load_hiera", "diff_plans", "records_of",
           "cannot_plan", "side_errors", "refusals", "REFUSING", "rank", "MEDIAWIKI",
           "STAGE_ORDER"]

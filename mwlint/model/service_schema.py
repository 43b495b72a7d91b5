"""The names scap's deploy-service loader reads (deploy-service.md §2): which keys each kind
of mapping has, the environment types, the check types. Constants only, so the rules can
name them without loading the model (start-up time: a check without deploy-service keys
never loads :mod:`mwlint.model.services`)."""

from __future__ import annotations

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Dict, Tuple

STAGING, PRODUCTION = "STAGING", "PRODUCTION"
TYPES = (STAGING, PRODUCTION)
DEFAULT_GROUP_DIR = "services"  # scap.cfg helmfile_default_cluster_dir

# The keys scap's loader reads in each kind of mapping (its schema), by schema name.
SCHEMAS: Dict[str, Tuple[str, ...]] = {
    "cluster group": ("dir", "environments", "environment_stages",
                      "environment_default_stage"),
    "environment": ("datacenter", "type", "aliases"),
    "service catalog": ("services",),
    "service": ("cluster_group", "checks", "namespaces"),
    "namespace": ("environments",),
    "env-ref": ("releases",),
    "release": ("stage",),
}
GROUP_KEYS = SCHEMAS["cluster group"]
ENVIRONMENT_KEYS = SCHEMAS["environment"]
CATALOG_KEYS = SCHEMAS["service catalog"]
SERVICE_KEYS = SCHEMAS["service"]
NAMESPACE_KEYS = SCHEMAS["namespace"]
ENV_REF_KEYS = SCHEMAS["env-ref"]
RELEASE_KEYS = SCHEMAS["release"]
CHECK_TYPES = ("commands", "manual")

# What the loader reads at a place (ShapeFact.reads)
MAPPING, NAME, STRING, LIST, CONTENT, ONE_KEY, STRING_OR_NULL = (
    "mapping", "name", "string", "list", "content", "one-key", "string-or-null")

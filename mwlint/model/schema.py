"""The keys Puppet's closed Structs allow at each level (latest types, V6/V7).

The configuration layer can replace these with the keys read from the consuming
repository's own Puppet type files, or extend them with ``extra-keys``.
"""

from __future__ import annotations

TOP_KEYS = ("deployment_targets", "supervision_rules")
ENTRY_KEYS = ("namespace", "releases", "mw_kind", "mw_flavour", "web_flavour", "dir",
              "clusters")
ENTRY_KEYS_MAPPING_FORM = ENTRY_KEYS + ("scope",)
RELEASE_KEYS = ("stage", "mw_kind", "mw_flavour", "web_flavour", "deploy")
REQUIRED_ENTRY_KEYS = ("namespace", "releases", "mw_flavour", "web_flavour")
FLAVOUR_KEYS = ("mw_flavour", "web_flavour")

# Curated misspellings -> the right key (MW103's first guess).
ALIASES = {
    "cluster_dir": "dir",
    "helmfile_dir": "dir",
    "cluster": "clusters",
    "kind": "mw_kind",
    "image_kind": "mw_kind",
    "mw_image_kind": "mw_kind",
    "flavour": "mw_flavour",
    "flavor": "mw_flavour",
    "mw_flavor": "mw_flavour",
    "web_flavor": "web_flavour",
    "webserver_flavour": "web_flavour",
    "stages": "stage",
    "ns": "namespace",
    "release_list": "releases",
    "deployed": "deploy",
    "enabled": "deploy",
}

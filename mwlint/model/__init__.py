"""Step 4: the typed model of a deployments value, with scap's effective values."""

from __future__ import annotations

from mwlint.locate.locator import yaml_key as yaml_key  # noqa: F401  (how a key is spelt in YAML)
from mwlint.model.build import build_hiera_file  # noqa: F401
from mwlint.model.types import (  # noqa: F401
    DEFAULT_KIND,
    STAGES,
    Deployments,
    Effective,
    Entry,
    Field,
    HieraFile,
    Record,
    Release,
    SupervisionRule,
    values_file_name,
)
from mwlint.model.values import Value, clip, quote  # noqa: F401

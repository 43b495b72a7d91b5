"""Step 3: find the deployments key(s) in a composed hiera document."""

from __future__ import annotations

from mwlint.locate.locator import (  # noqa: F401
    MW_DEPLOYMENTS,
    MW_RELEASES,
    Located,
    Location,
    later_keys,
    locate,
    yaml_key,
)

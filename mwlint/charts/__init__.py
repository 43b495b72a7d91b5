"""A side input: an operations/deployment-charts checkout (``--deployment-charts PATH``).

:mod:`mwlint.charts.helmfile` reads a helmfile statically (never runs helmfile, helm or a
template engine) and says which environments, install lists and releases it declares;
:mod:`mwlint.charts.checkout` finds the helmfile scap would use for a namespace. MW301,
MW308 and MW309 use them; see ``deployment-charts.md`` in the specs.
"""

from __future__ import annotations

from mwlint.charts.checkout import Checkout, HelmfileLookup, checkout_for  # noqa: F401
from mwlint.charts.helmfile import (  # noqa: F401
    MARKER,
    HelmfileFacts,
    InstallList,
    read_helmfile,
)

"""Step 2: text -> PyYAML nodes with start and end marks (and merge/alias resolution)."""

from __future__ import annotations

from mwlint.parse.compose import ParseError, compose, later_documents  # noqa: F401
from mwlint.parse.resolve import (  # noqa: F401
    BudgetExceeded,
    Resolver,
    is_map,
    is_scalar,
    is_seq,
    scalar_value,
)

"""Step 1 of the pipeline: bytes on disk (or stdin) -> decoded text, or an input problem."""

from __future__ import annotations

from mwlint.source.reader import (  # noqa: F401
    DEPLOYMENTS_MARKER,
    RENDERED_NAME,
    InputProblem,
    SourceText,
    read_bytes,
    read_file,
)

__all__ = ["DEPLOYMENTS_MARKER", "RENDERED_NAME", "InputProblem", "SourceText", "read_bytes",
           "read_file"]

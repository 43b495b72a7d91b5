"""Step 7: formatters. They receive findings (and rule metadata), nothing else."""

from __future__ import annotations

import importlib
from typing import Callable, Dict, List, NamedTuple, Optional

from mwlint.findings import Finding

FORMATS = ("text", "json")


class Report(NamedTuple):
    findings: List[Finding]  # sorted, already selected
    files: int  # files examined
    linted: int  # files holding a deployments key
    fail_on: str = "error"
    sources: Optional[Dict[str, str]] = None  # path -> text, for snippets
    failed: bool = False

    def counts(self) -> Dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            c[f.severity] += 1
        return c


def renderer(name: str) -> Callable[..., str]:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
    mod = importlib.import_module(f"mwlint.formats.{name}_format")
    return mod.render

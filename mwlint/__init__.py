"""mwlint: lint the MediaWiki-on-Kubernetes deployments hiera before scap deploys it.

The pipeline, one way, one package per step::

    source (bytes -> text) -> parse (nodes with marks) -> locate (which key, which form)
    -> model (entries, releases, effective values, records) -> rules -> findings
    -> selection / threshold -> formats

The library API is usable without the command line: see :func:`mwlint.engine.lint_text`.
"""

from __future__ import annotations

__version__ = "0.3.1"

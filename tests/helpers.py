"""Shared test helpers: lint a snippet in-process and compare findings as tables."""

from __future__ import annotations

import os
import textwrap
from typing import List, Tuple

from mwlint.engine import lint_text
from mwlint.settings import Settings

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
REAL = os.path.join(FIXTURES, "real")
KEY_PATH = "hieradata/role/common/deployment_server/kubernetes.yaml"
RELEASES_KEY = "profile::kubernetes::deployment_server::mediawiki::release::mw_releases"
DEPLOYMENTS_KEY = "profile::kubernetes::deployment_server::mediawiki::release::mw_deployments"


def lint(text: str, path: str = KEY_PATH, **settings) -> List:
    """Lint dedented YAML text in-process; ``settings`` are :class:`Settings` fields."""
    return lint_text(textwrap.dedent(text), path, Settings(**settings))


def releases_doc(body: str) -> str:
    """``body`` (dedented YAML list items) under the mw_releases key, indented by 2."""
    body = textwrap.dedent(body).strip("\n")
    return RELEASES_KEY + ":\n" + textwrap.indent(body, "  ") + "\n"


def deployments_doc(body: str) -> str:
    """``body`` (dedented YAML mapping) under the mw_deployments key, indented by 2."""
    body = textwrap.dedent(body).strip("\n")
    return DEPLOYMENTS_KEY + ":\n" + textwrap.indent(body, "  ") + "\n"


def triples(findings, code_prefix: str = "") -> List[Tuple[str, int, int]]:
    """(code, line, column) of each finding whose code starts with ``code_prefix``."""
    return [(f.code, f.line, f.column) for f in findings if f.code.startswith(code_prefix)]


def codes(findings) -> List[str]:
    return sorted(f.code for f in findings)

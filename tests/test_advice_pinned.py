"""The advice (help) texts a deployer acts on, pinned exactly (issue 20 item 11): a change to
one of them is a decision, made here on purpose, not by accident in a rule module.
MW201's full recipe is pinned in tests/test_rules_mw2xx.py."""

from __future__ import annotations

import textwrap

import pytest
from helpers import lint, releases_doc
from test_rules_mw6xx import CASES as MW6XX_CASES


def one(text: str, code: str):
    found = [f for f in lint(text) if f.code == code]
    assert len(found) == 1, found
    return found[0]


def test_mw201_debug_false_advice():
    f = one(releases_doc(textwrap.dedent("""
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          debug: false
        """)), "MW201")
    assert (f.line, f.column) == (6, 5)
    assert f.help == "delete the line"


@pytest.mark.parametrize("releases, where", [
    ("{dbg: {mw_kind: debug-image}}", (3, 16)),
    ("{dbg: {mw_kind: debug-image, stage: canaries}}", (3, 16)),
])
def test_mw203_advice(releases, where):
    f = one(releases_doc(f"- namespace: mw-web\n  releases: {releases}\n  mw_flavour: publish\n"
                         "  web_flavour: webserver\n"), "MW203")
    assert (f.line, f.column) == where
    assert f.help == "set stage: testservers on the release, or deploy: false to park it"


def test_mw607_advice():
    (text,) = [c[1] for c in MW6XX_CASES if c[0] == "607"]
    f = one(text, "MW607")
    assert (f.line, f.column) == (56, 11)
    assert f.help == ("it deploys 'staging-eqiad' only at 'CANARY': move the check to a stage "
                      "that deploys, or remove it")

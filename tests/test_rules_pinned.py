"""Rule decisions that the table tests left open (scripts/mutate, issue 20): the help of a
fixable MW201, and :func:`mwlint.rules.base.bounded` on a finding changed after it was
built."""

from __future__ import annotations

import pytest
from helpers import lint, releases_doc

from mwlint.findings import Finding
from mwlint.rules.base import bounded


def test_a_fixable_mw201_keeps_its_advice() -> None:
    text = releases_doc("""
        - namespace: mw-web
          debug: true
          releases:
            main: {stage: production}
          mw_flavour: publish
          web_flavour: webserver
        """)
    assert [(f.code, f.line, f.column, f.help, f.fix is not None) for f in lint(text)
            if f.code == "MW201"] == [
        ("MW201", 3, 5, "put mw_kind: debug-image on the namespace, then delete debug; decide "
                        "by hand for 'main' (stage: production)", True)]


def test_bounded_keeps_a_help_on_one_line_and_no_help_as_none() -> None:
    f = Finding("MW900", "x", "error", "bad\nvalue", "k.yaml", 1, 1, 1, 2, "a\nb",
                help="fix\rit")
    b = bounded(f)
    assert (b.message, b.help) == ("bad\\nvalue", "fix\\rit")
    assert bounded(f._replace(help=None)).help is None
    assert bounded(f._replace(help="")).help is None


@pytest.mark.parametrize("kind,message", [
    ("debug-image", "debug: true on 'mw-debug' is ignored by scap, so 'main' deploys the debug "
                    "image at production"),
    ("image", "debug: true on 'mw-debug' is ignored by scap, so 'main' deploys the production "
              "image at production"),
    ("other", "debug: true on 'mw-debug' is ignored by scap, so 'main' deploys kind 'other' at "
              "production"),
])
def test_mw201_names_what_the_release_deploys(kind: str, message: str) -> None:
    text = releases_doc(f"""
        - namespace: mw-debug
          debug: true
          mw_kind: {kind}
          releases:
            main: {{stage: production}}
          mw_flavour: publish
          web_flavour: webserver
        """)
    assert [(f.code, f.line, f.column, f.message) for f in lint(text)
            if f.code == "MW201"] == [("MW201", 3, 5, message)]

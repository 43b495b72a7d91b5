"""Where a reader of a report finds mwlint and its rule docs: the release's source tree.

The URLs point at the tag of the running version in the repository's browser (Gitiles on
Wikimedia's Gerrit), so a report always links to the rule text of the mwlint that wrote it.
Each rule has its section in ``docs/rules.md``, under the heading id GitHub and Gitiles give
``## MW102 missing-key`` (:func:`mwlint.docs.anchor`).
"""

from __future__ import annotations

from mwlint import __version__

REPOSITORY = "https://gerrit.wikimedia.org/r/plugins/gitiles/operations/software/mwlint"


def release_tree(version: str = __version__) -> str:
    """The source tree of release ``version`` (the README is shown below its listing)."""
    return f"{REPOSITORY}/+/refs/tags/v{version}/"


def rules_doc_url(version: str = __version__) -> str:
    """The rule reference, ``docs/rules.md``, at release ``version``."""
    return f"{release_tree(version)}docs/rules.md"


def rule_url(code: str, name: str, version: str = __version__) -> str:
    """The section of ``docs/rules.md`` at release ``version`` for rule ``code`` ``name``
    (SARIF helpUri, Gerrit robot comments, the language server's diagnostics)."""
    anchor = f"{code} {name}".lower().replace(" ", "-")
    return f"{rules_doc_url(version)}#{anchor}"

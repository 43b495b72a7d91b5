from __future__ import annotations

from mwlint.rules.base import Rule


class YamlSyntax(Rule):
    code = "MW001"
    name = "yaml-syntax"
    severity = "error"
    scope = ("check", "report")
    summary = (
        "A file that mentions a deployments key cannot be parsed: a YAML syntax error, "
        "nesting deeper than 100 levels, or alias expansion beyond the budget (10,000 node "
        "visits through aliases and merge keys, cycles included). Reported at the parser's "
        "position; the message says which limit was hit."
    )
    rationale = (
        "Hiera cannot load a file it cannot parse: Puppet fails on the deployment server and "
        "scap keeps deploying the last rendered config, so the change silently never takes "
        "effect. Deep nesting and alias bombs are refused before they can hang or crash "
        "the parser."
    )
    bad = """
profile::kubernetes::deployment_server::mediawiki::release::mw_releases:
  - namespace: mw-web
    releases: {main: {}
"""
    good = """
profile::kubernetes::deployment_server::mediawiki::release::mw_releases:
  - namespace: mw-web
    releases: {main: {}}
"""

"""``mwlint --show-settings PATH``: the settings that apply to PATH and where each comes
from, written as TOML a person can paste into ``.mwlint.toml``."""

from __future__ import annotations

import json
import os

from mwlint.config.options import OPTIONS, quote_key
from mwlint.config.resolve import DEFAULT_ORIGIN, Resolved
from mwlint.safe_text import neutralise
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import List


def _display_path(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return path if rel.startswith("..") else rel


def _origin(origin: str) -> str:
    if origin in (DEFAULT_ORIGIN, "command line"):
        return origin
    return ", ".join(_display_path(p) for p in origin.split(", "))


def toml_value(value: object) -> str:
    if value is None:
        return '""  # unset'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quote_key(str(k))} = {toml_value(v)}"
                               for k, v in value.items()) + "}"
    return json.dumps(str(value))


def render(path: str, r: Resolved) -> str:
    s = r.settings
    lines: List[str] = [f"# mwlint settings for {path}"]
    if r.files:
        lines.append("# config files, nearest first: "
                     + ", ".join(_display_path(p) for p in r.files))
    else:
        lines.append("# config files: none")
    if r.types is not None:
        lines.append("# Puppet types: " + ", ".join(_display_path(p) for p in r.types.files))
    rows = []
    for opt in OPTIONS:
        if not opt.attr:
            pfi = {}
            for _base_dir, pattern, codes in r.per_file_ignores:
                pfi[pattern] = list(codes)
            rows.append((f"{opt.key} = {toml_value(pfi)}", _origin(r.per_file_ignores_origin)))
            continue
        value = getattr(s, opt.attr)
        origin = _origin(r.origins.get(opt.attr, DEFAULT_ORIGIN))
        if opt.attr == "select" and value is None:
            value = ["ALL"]
        if opt.attr == "ignore" and r.matched:
            base = [c for c in value[:len(value) - len(r.matched)]]
            rows.append((f"{opt.key} = {toml_value(base)}", origin))
            rows.append((f"# + per-file-ignores for this file: {toml_value(list(r.matched))}",
                         _origin(r.per_file_ignores_origin)))
            continue
        if opt.attr == "default_clusters" and value is None:
            rows.append((f"# {opt.key}: scap::k8s_deployments.clusters of the linted file, "
                         "else [\"eqiad\", \"codfw\"]", origin))
            continue
        if opt.attr in ("known_dirs", "deployment_charts") and value is None:
            rows.append((f"# {opt.key}: unset", origin))
            continue
        rows.append((f"{opt.key} = {toml_value(value)}", origin))
    if r.types is not None:
        for level in ("top", "entry", "release"):
            keys = getattr(r.types, level)
            text = toml_value(list(keys)) if keys is not None else "built-in"
            rows.append((f"# allowed keys ({level}): {text}", _origin(", ".join(r.types.files))))
        stages = r.types.stages
        rows.append((f"# allowed stages: {toml_value(list(stages)) if stages else 'built-in'}",
                     _origin(", ".join(r.types.files))))
    if not s.suppressions:
        rows.append(("# inline suppressions: ignored", "command line"))
    width = max(len(text) for text, _ in rows)
    width = min(width, 60)
    for text, origin in rows:
        lines.append(f"{text:<{width}}  # {origin}")
    # paths and patterns come from the tree: a newline in one must not start a TOML line
    return "\n".join(neutralise(line) for line in lines) + "\n"

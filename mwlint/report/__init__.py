"""The build report checker: scap's image lookup, without the build.

After building the MediaWiki images, scap reads ``report.json`` and looks up, for every
release of the deployments config (``deploy: false`` included), the effective
``mw_flavour`` and ``mw_kind`` under ``mediawiki.flavours`` and the effective
``web_flavour`` under ``webserver.flavours`` (kind ``image``). A miss aborts the sync after
the build, before any values file is written. This package checks the same thing ahead
of time (rules MW401–MW406).

A reader and a model; the rules (``mwlint/rules/mw40*.py``, their messages included) run
in the engine's run (:func:`mwlint.engine.run`):

* :mod:`mwlint.report.reader` reads a report (standard :mod:`json`) and models it
  (sections, flavours, kinds, image names, with positions); :mod:`mwlint.report.position`
  recovers line and column for findings only.
* :mod:`mwlint.report.crosscheck` runs scap's lookup over the model of a config (an
  :class:`~mwlint.report.crosscheck.Analysis`); :mod:`mwlint.report.context` is what a
  report rule sees.
The library functions that check a report against a config run the engine, a layer
above: :func:`mwlint.engine.check_report_data` (plain data, no file I/O) and
:func:`mwlint.engine.check_report_text`::

    import json, yaml
    from mwlint.engine import check_report_data

    findings = check_report_data(json.load(open("report.json")),
                                 yaml.safe_load(open("mediawiki-deployments.yaml")),
                                 default_clusters=["eqiad", "codfw"])
    errors = [f for f in findings if f.severity == "error"]
"""

from __future__ import annotations

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    from mwlint.report.reader import BuildReport, ReadProblem

# The rule modules import this package (its names) at start-up, every ``mwlint check``: the
# reader and its JSON machinery are imported on first use only.
_READER_NAMES = ("BuildReport", "ReportFlavour", "ReportProblem", "ReportSection",
                 "parse_report_text", "read_report_file", "report_from_data")


def __getattr__(name: str) -> Any:
    if name in _READER_NAMES:
        from mwlint.report import reader

        return getattr(reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_report(path: str, max_size: int = 10 * 1024 * 1024) -> "BuildReport | ReadProblem":
    """Read ``report.json`` from disk: a :class:`BuildReport` (its ``problems`` list the
    MW401 issues; ``image_name(section, flavour, kind)`` and ``metadata(section, flavour)``
    do scap's lookup), or a :class:`mwlint.report.reader.ReadProblem` when the file cannot
    be read."""
    from mwlint.report.reader import read_report_file

    return read_report_file(path, max_size)


__all__ = ["BuildReport", "ReportFlavour", "ReportProblem", "ReportSection",
           "load_report", "parse_report_text",
           "read_report_file", "report_from_data"]

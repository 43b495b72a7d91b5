"""The server's one seam to the engine: lint (and fix) an editor buffer as the command line
would lint the same text read from stdin with ``--stdin-filename PATH``.

Everything else in :mod:`mwlint.server` works on the findings these functions return.
"""

from __future__ import annotations

from mwlint.engine import lint_source, load_model
from mwlint.findings import Finding
from mwlint.fix import fix_text
from mwlint.model.services import bind_groups
from mwlint.parse.resolve import Resolver
from mwlint.settings import Settings
from mwlint.source.reader import (
    DEPLOYMENTS_MARKER,
    SERVICE_MARKER,
    SourceText,
    is_rendered_any,
    read_bytes,
)
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Callable, Dict, List, Optional, Tuple

# (display path of the file that sets them, {name: ClusterGroup}) or None
if TYPE_CHECKING:
    Groups = Optional[Tuple[str, Dict[str, object]]]
if TYPE_CHECKING:
    GroupsFinder = Callable[[], Groups]


def may_concern(text: str, path: str, settings: Settings) -> bool:
    """The cheap pre-filter, on the text: ``False`` for a buffer the engine would skip
    unread (no deployments or deploy-service key, not a rendered scap file, not over the
    size limit). A ``str`` search: no encoding, no parse."""
    if is_rendered_any(path) or DEPLOYMENTS_MARKER in text or SERVICE_MARKER in text:
        return True
    return len(text) * 4 > settings.max_file_size  # may be over the limit in UTF-8: MW003


def lint_buffer(text: str, path: str, settings: Settings,
                groups: Optional[GroupsFinder] = None) -> Optional[List[Finding]]:
    """The findings of ``text`` read as the file ``path`` under ``settings``: the source
    stage (size limit, BOM, pre-filter, NUL bytes, UTF-8, depth), parse, model, rules,
    suppressions and severities of a CLI run. ``None``: the engine skips the text (it holds
    no key mwlint reads). ``groups()`` is called when the text has a service catalog but no
    cluster groups: the groups another file of the workspace sets (as a CLI run over the
    workspace binds them), or None."""
    if not may_concern(text, path, settings):
        return None
    outcome = read_bytes(text.encode("utf-8", "surrogatepass"), path, settings.max_file_size,
                         force=is_rendered_any(path))
    if outcome is None:
        return None

    def hook(hiera: object) -> None:
        config = getattr(hiera, "services", None)
        if groups is None or config is None or not config.groups_missing:
            return
        found = groups()
        if found is not None:
            bind_groups(config, found[1], Resolver(), found[0])  # type: ignore[arg-type]

    result = lint_source(outcome, path, settings, model_hook=hook)
    if not result.linted and not result.findings:
        return None
    return list(result.findings)


def groups_of(text: str, path: str, settings: Settings) -> Groups:
    """The cluster groups ``text`` (the file ``path``) sets itself, or None."""
    if SERVICE_MARKER not in text and not is_rendered_any(path):
        return None
    outcome = read_bytes(text.encode("utf-8", "surrogatepass"), path, settings.max_file_size,
                         force=is_rendered_any(path))
    if not isinstance(outcome, SourceText):
        return None
    model = load_model(outcome.text, path, settings)
    config = getattr(model, "services", None)
    if config is None or config.groups is None or config.groups_from is not None:
        return None
    return path, config.groups


def fix_buffer(text: str, path: str, settings: Settings
               ) -> Optional[List[Tuple[int, int, str]]]:
    """The edits ``mwlint --fix`` would make to ``text`` read as ``path``, as (start, end,
    replacement) offsets into the engine's text (after a byte-order mark), or None when it
    would change nothing. Applying them gives exactly what ``--fix`` writes."""
    if not may_concern(text, path, settings):
        return None
    outcome = read_bytes(text.encode("utf-8", "surrogatepass"), path, settings.max_file_size,
                         force=is_rendered_any(path))
    if not isinstance(outcome, SourceText):
        return None
    result = fix_text(outcome.text, path, settings)
    if not result.changed:
        return None
    return [(e.start.offset, e.end.offset, e.content) for e in result.edits]

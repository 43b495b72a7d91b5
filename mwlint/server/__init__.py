"""``mwlint server``: a Language Server over stdio (the ``lsp`` extra: pygls, lsprotocol).

Editors get the findings of the command line as diagnostics while the deployer types, the
fixes as quick fixes and ``source.fixAll.mwlint``, and the rule documentation on hover.
pygls is imported here only, and only by ``mwlint server``.
"""

from __future__ import annotations

import sys

from mwlint.safe_text import neutralise
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Optional, Sequence

USAGE = """usage: mwlint server [--stdio]

Run mwlint as a Language Server over stdin/stdout (LSP): diagnostics for the YAML documents
the editor opens that set a deployments or deploy-service key, quick fixes, fix-all
(source.fixAll.mwlint) and the rule's documentation on hover. Settings come from the same
.mwlint.toml / pyproject.toml files as for `mwlint check`. Needs the lsp extra:
pip install 'mwlint[lsp]'.
"""

MISSING = ("mwlint server needs the lsp extra (pygls): "
           "pip install 'mwlint[lsp]'")


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    if args and args != ["--stdio"]:  # --stdio: what some clients add by habit
        sys.stderr.write(neutralise(f"mwlint: error: server takes no argument (got "
                                    f"{args[0]!r})") + "\n")
        return 2
    try:
        from mwlint.server.app import serve
    except ImportError as e:
        if getattr(e, "name", "") and str(e.name).split(".")[0] in ("pygls", "lsprotocol",
                                                                    "cattrs", "attrs"):
            sys.stderr.write(f"mwlint: error: {MISSING}\n")
            return 2
        raise
    return serve(sys.stdin.buffer, sys.stdout.buffer)


run = main

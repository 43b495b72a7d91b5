from __future__ import annotations

from mwlint.rules.base import Rule


class UnreadableFile(Rule):
    code = "MW003"
    name = "unreadable-file"
    severity = "error"
    scope = ("check", "report")
    summary = (
        "The file is not UTF-8, holds binary content (a NUL byte), is larger than "
        "max-file-size (default 10 MiB), cannot be read (permission denied), is not a "
        "regular file, is a dangling symbolic link, or vanished after it was listed."
    )
    rationale = (
        "What mwlint cannot read it cannot check, and hiera cannot read it either: a file "
        "that fails to decode breaks the Puppet run on the deployment server."
    )
    bad = "(a hiera file saved as Latin-1 with a byte such as 0xe9)"
    good = "(the same file saved as UTF-8)"
    options = ("max-file-size",)

"""Sub-commands other than ``check`` and ``rule``: ``mwlint <name>`` runs
``mwlint.commands.<name with - as _>.run(argv) -> int``."""

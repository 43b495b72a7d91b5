"""The ``mwlint`` command (the console script and ``python -m mwlint``)."""

from __future__ import annotations

import atexit
import gc

# The process's collector policy, in one place (a library caller's collector is untouched).
# The collector's first threshold for the command's own process, set before anything is
# imported (mypy's main does the same): start-up and a run allocate objects that mostly
# live until the process ends, and at the default (700) the young-generation passes over
# them cost ~4 ms of a 70 ms whole-tree run. Garbage cycles are still collected, every
# 50,000 allocations instead of every 700 (the engine also pauses the collector while it
# models one file, see mwlint.gcpause).
THRESHOLDS = (50_000, 50, 50)


def main() -> int:
    gc.set_threshold(*THRESHOLDS)
    # What is alive at exit dies with the process: without this, the collector's final
    # passes traverse every node and model object again (seconds on a large config).
    atexit.register(gc.freeze)
    from mwlint.cli import main as run

    return run()


if __name__ == "__main__":
    raise SystemExit(main())

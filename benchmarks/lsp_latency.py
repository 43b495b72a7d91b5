#!/usr/bin/env python3
"""Latency of ``mwlint server``: from a ``textDocument/didChange`` to the
``textDocument/publishDiagnostics`` of that version, on the real 263a58ee key file.

    python benchmarks/lsp_latency.py [--runs 20] [--pause 0.2]

A real server process (``python -m mwlint server``, this interpreter) driven over stdio by
:mod:`mwlint.server.client`. Every change sends the whole text (as a client with full sync
does), alternating the file as it is (no finding) and the same file with one release's
``stage: canaries`` misspelt ``stage: canary`` (a finding), so that each run both parses
and reports. ``--pause`` seconds pass between changes (a typing pause: changes closer than
the server's throttle are coalesced, which is not what this measures). Prints the median,
min and max in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mwlint.server.client import Client, uri_of  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "real" / \
    "puppet-2025-late-263a58ee-kubernetes-mw_deployments.yaml"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--pause", type=float, default=0.2)
    args = p.parse_args()
    text = FIXTURE.read_text()
    bad = text.replace('stage: "canaries"', 'stage: "canary"', 1)
    assert bad != text
    uri = uri_of(str(FIXTURE))
    times = []
    with Client([sys.executable, "-m", "mwlint", "server"]) as c:
        c.initialize(str(ROOT))
        c.open(uri, text)
        c.diagnostics(uri, timeout=30)
        counts = set()
        for i in range(args.runs):
            time.sleep(args.pause)
            version = i + 2
            start = time.perf_counter()
            c.change(uri, bad if i % 2 == 0 else text, version)
            msg = c.wait(lambda m, v=version: m.get("method") == "textDocument/"
                         "publishDiagnostics" and m["params"].get("version") == v, 30)
            times.append((time.perf_counter() - start) * 1000)
            counts.add(len(msg["params"]["diagnostics"]))
        status = c.stop()
    print(f"didChange -> publishDiagnostics on {FIXTURE.name} ({len(text)} characters), "
          f"{args.runs} changes, {args.pause}s apart, diagnostics per version {sorted(counts)}")
    print(f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, "
          f"max {max(times):.1f} ms (server exit status {status})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

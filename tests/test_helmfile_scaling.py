"""The helmfile reader is linear in its input (issue 19 item 1): the top-level key that
holds each printing template line is found in one pass (it was a scan back from every
line), and release names are merged through a set (a list test per name was quadratic).
N against 4N: the time ratio must stay near 4 (quadratic work gives 16)."""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Callable

from mwlint.charts.helmfile import clear_cache, mask_part, read_helmfile


def _best(fn: Callable[[], object], runs: int = 5) -> float:
    """The fastest of ``runs``, the cyclic collector paused while timing: its passes over a
    growing heap add a superlinear share that is the interpreter's, not the reader's (and
    the noise of a busy machine)."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def _ratio(make: Callable[[int], Callable[[], object]], n: int) -> float:
    small, large = make(n), make(4 * n)
    small()  # warm up (imports, regex compilation)
    t1, t4 = _best(small), _best(large)
    assert t4 < 5.0, f"4N took {t4:.2f} s"
    return t4 / max(t1, 1e-4)


def test_printing_template_lines_are_placed_in_one_pass():
    def make(n: int) -> Callable[[], object]:
        # every line prints YAML, all of them far below the one top-level key
        text = "releases:\n" + '{{ include "release" . }}\n' * n
        return lambda: mask_part(text)

    masked, opened = mask_part("releases:\n" + '{{ include "release" . }}\n' * 3)
    assert opened == {"releases"}
    assert _ratio(make, 5000) < 8


def test_release_names_merge_in_linear_time(tmp_path: Path):
    def make(n: int) -> Callable[[], object]:
        root = tmp_path / str(n)
        root.mkdir()
        base = "".join(f"  - name: base{i}\n    chart: c\n" for i in range(n))
        own = "".join(f"  - name: own{i}\n    chart: c\n" for i in range(n))
        (root / "base.yaml").write_text("releases:\n" + base)
        (root / "helmfile.yaml").write_text("bases: [base.yaml]\n---\nreleases:\n" + own)

        def read() -> object:
            clear_cache()
            facts = read_helmfile(str(root), "helmfile.yaml")
            assert len(facts.releases) == 2 * n
            return facts
        return read

    assert _ratio(make, 3000) < 10  # quadratic (0.2.0): 12-16

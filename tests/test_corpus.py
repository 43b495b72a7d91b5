"""The whole real hieradata tree (MWLINT_CORPUS): every file goes through, findings only in
the one file that sets the deployments key, exactly the expected set there."""

import os
import subprocess
import sys

from mwlint.engine import discover, lint_paths
from mwlint.settings import Settings

KEY_FILE = os.path.join("role", "common", "deployment_server", "kubernetes.yaml")
EXPECTED = sorted(
    [("MW201", line) for line in (274, 283, 291, 300, 308, 316, 322, 328)]
    + [("MW202", 268), ("MW202", 317)]
    + [("MW203", 270), ("MW203", 271), ("MW203", 319)]
)


def test_every_file_is_processed(corpus_dir):
    run = lint_paths([corpus_dir], Settings())
    assert run.files == 1473
    assert run.linted == 1
    with_findings = {r.path for r in run.results if r.findings}
    assert with_findings == {os.path.join(corpus_dir, KEY_FILE)}
    assert not [f for f in run.findings if f.code in ("MW001", "MW003")]


def test_expected_findings_in_the_key_file(corpus_dir):
    run = lint_paths([corpus_dir], Settings())
    assert sorted((f.code, f.line) for f in run.findings) == EXPECTED


def test_cli_over_the_tree_with_every_file_given(corpus_dir):
    files = discover([corpus_dir])
    proc = subprocess.run([sys.executable, "-m", "mwlint", "--format", "json", *files],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    import json

    doc = json.loads(proc.stdout)
    assert doc["summary"]["files"] == 1473 and doc["summary"]["linted"] == 1
    assert sorted((f["code"], f["line"]) for f in doc["findings"]) == EXPECTED


def test_no_misspelt_key_false_positive_and_the_prefilter_stays_cheap(corpus_dir):
    """MW007 on the real tree: no finding, although five files set
    ``profile::kubernetes::deployment_server::`` parameters; the four that hold no key of
    either family are left by the pre-filter (not parsed), as the 1,468 others."""
    from mwlint.source import SourceText, read_file

    files = discover([corpus_dir])
    with_marker = []
    for path in files:
        with open(path, "rb") as f:
            if b"deployment_server::" in f.read():
                with_marker.append(path)
    assert len(with_marker) == 5
    read = [p for p in files if isinstance(read_file(p, p, 1 << 22), SourceText)]
    assert read == [os.path.join(corpus_dir, KEY_FILE)]
    run = lint_paths([corpus_dir], Settings())
    assert not [f for f in run.findings if f.code == "MW007"]

"""The source distribution is a working tree: it carries the licence, the tests with their
fixtures and helpers, the hooks, examples, docs and the pre-commit manifest, and a sample of
its tests passes when run from the unpacked sdist (not from this checkout).

Built with ``python -m build --sdist --no-isolation``: the test extra installs the backend
(setuptools>=77, for PEP 639's ``license-files``), so no package index is needed. CI (CI=true)
fails rather than skips when ``build`` is missing."""

import os
import subprocess
import sys
import tarfile

import pytest
from helpers import HERE

ROOT = os.path.dirname(HERE)

# what the sdist must carry besides the package and the tests (checked whole below)
REQUIRED = ("LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "MANIFEST.in",
            ".pre-commit-hooks.yaml", "hooks/gerrit-ci", "scripts/release",
            "docs/rules.md", "docs/build-report.md", "tests/conftest.py", "tests/helpers.py",
            "tests/format_cases.py", "tests/strategies.py", "tests/fixtures/schemas/README.md",
            "benchmarks/bench.py", "benchmarks/lsp_latency.py", "mwlint/server/app.py")
# top-level paths of the repository the sdist leaves out on purpose
LEFT_OUT = (".ci/", ".gitignore")
# a sample of the suite, run from the unpacked sdist: rules with the real fixtures, a
# formatter test on the shared format cases (the helper module the 0.2.0 sdist lacked),
# the docs check, the hooks and the examples, JUnit against the schema fixture (xsd)
SAMPLE = ("tests/test_rules_mw2xx.py", "tests/test_formats_terminal.py", "tests/test_docs.py",
          "tests/test_hooks.py", "tests/test_formats_junit.py")


def _need_build(cwd):
    """``build`` and setuptools>=77 importable (probed from ``cwd``: a setuptools ``build/``
    folder in the checkout would pass for the ``build`` package)."""
    probe = subprocess.run([sys.executable, "-c", "import build.__main__, setuptools; "
                            "assert int(setuptools.__version__.split('.')[0]) >= 77"],
                           cwd=str(cwd), capture_output=True)
    if probe.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail("build and setuptools>=77 come with the test extra: pip install '.[test]'")
        pytest.skip("`build` or setuptools>=77 is not installed (pip install '.[test]')")


@pytest.fixture(scope="module")
def sdist(tmp_path_factory):
    """The unpacked sdist of this checkout: (its directory, its member names)."""
    out = tmp_path_factory.mktemp("sdist")
    _need_build(out)
    # from a directory of its own: a setuptools build/ in the checkout would shadow `build`
    p = subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation",
                        "--outdir", str(out), ROOT], cwd=str(out), capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    (archive,) = [f for f in os.listdir(out) if f.endswith(".tar.gz")]
    with tarfile.open(os.path.join(out, archive)) as tar:
        names = tar.getnames()
        top = names[0].split("/")[0]
        for member in tar.getmembers():  # nothing outside the top directory, no links
            assert member.name.split("/")[0] == top and ".." not in member.name.split("/")
            assert member.isfile() or member.isdir(), member.name
        # (the "data" filter where this Python has it: 3.14 makes it the default)
        tar.extractall(str(out), **({"filter": "data"} if hasattr(tarfile, "data_filter")
                                    else {}))
    rel = sorted(n[len(top) + 1:] for n in names if n != top)
    return os.path.join(str(out), top), rel


def _tracked():
    p = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    if p.returncode != 0 or not p.stdout:
        return None  # not a git checkout (an unpacked sdist itself)
    return [n for n in p.stdout.decode().split("\0") if n]


def test_sdist_carries_the_licence_tests_hooks_examples_and_docs(sdist):
    root, names = sdist
    missing = [n for n in REQUIRED if n not in names]
    assert not missing, missing
    tracked = _tracked()
    if tracked is not None:
        wanted = [n for n in tracked if not n.startswith(LEFT_OUT)]
        assert sorted(set(wanted) - set(names)) == []
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    # the hook stays executable
    assert os.access(os.path.join(root, "hooks", "gerrit-ci"), os.X_OK)


def test_sdist_metadata_has_the_spdx_licence_urls_and_classifiers(sdist):
    root, _names = sdist
    with open(os.path.join(root, "PKG-INFO"), encoding="utf-8") as fh:
        meta = fh.read().split("\n\n", 1)[0].splitlines()
    assert "License-Expression: Apache-2.0" in meta
    assert "License-File: LICENSE" in meta
    assert not any(line.startswith("Classifier: License ::") for line in meta)
    urls = dict(line[len("Project-URL: "):].split(", ", 1) for line in meta
                if line.startswith("Project-URL: "))
    assert sorted(urls) == ["Changelog", "Documentation", "Homepage", "Issues", "Source"]
    assert all(u.startswith("https://") for u in urls.values())
    classifiers = {line[len("Classifier: "):] for line in meta if line.startswith("Classifier:")}
    for minor in range(9, 14):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert "Typing :: Typed" in classifiers
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    assert any(c.startswith("Operating System :: ") for c in classifiers)
    assert any(c.startswith("Environment :: ") for c in classifiers)


def test_licence_is_the_apache_2_text():
    with open(os.path.join(ROOT, "LICENSE"), encoding="utf-8") as fh:
        text = fh.read()
    import hashlib

    # the text of https://www.apache.org/licenses/LICENSE-2.0.txt, byte for byte
    assert hashlib.md5(text.encode()).hexdigest() == "3b83ef96387f14655fc854ddc3c6bd57"


def test_a_sample_of_the_tests_passes_from_the_unpacked_sdist(sdist):
    root, _names = sdist
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COLUMNS")}
    env["PYTHONPATH"] = root
    where = subprocess.run([sys.executable, "-c", "import mwlint; print(mwlint.__file__)"],
                           cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert where.stdout.strip() == os.path.join(root, "mwlint", "__init__.py")
    p = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                        "-p", "no:randomly", *SAMPLE], cwd=root, env=env,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]
    assert " passed" in p.stdout.splitlines()[-1] and "skipped" not in p.stdout.splitlines()[-1]

"""Release scheme: semver in one place, a CHANGELOG section per version, the pre-commit
manifest and README pin, and (when `build` is installed) a wheel that carries its data."""

import os
import re
import subprocess
import sys
import zipfile
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader

import pytest
import yaml
from format_cases import ROOT

import mwlint


def _release_module():
    path = os.path.join(ROOT, "scripts", "release")
    loader = SourceFileLoader("mwlint_release_script", path)
    spec = spec_from_loader(loader.name, loader)
    mod = module_from_spec(spec)
    loader.exec_module(mod)
    return mod


release = _release_module()


def _read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as fh:
        return fh.read()


@pytest.mark.parametrize("value, ok", [
    ("0.1.0", True), ("1.10.3", True), ("2.0.0-rc.1", True),
    ("1.0", False), ("01.0.0", False), ("v1.0.0", False), ("1.0.0.dev1", False),
])
def test_semver_pattern(value, ok):
    assert bool(release.SEMVER.match(value)) is ok


def test_version_is_semver_and_single_sourced():
    assert release.SEMVER.match(mwlint.__version__)
    assert 'version = {attr = "mwlint.__version__"}' in _read("pyproject.toml")
    assert 'dynamic = ["version"]' in _read("pyproject.toml")


def test_changelog_has_a_section_for_the_current_version():
    date = release.changelog_date(_read("CHANGELOG.md"), mwlint.__version__)
    assert date is not None, f"CHANGELOG.md needs a '## [{mwlint.__version__}] - ' section"
    assert date == "Unreleased" or re.match(r"\d{4}-\d{2}-\d{2}$", date)


def test_changelog_date_parsing():
    text = "## [Unreleased]\n\n## [1.2.0] - 2025-01-31\n\n## [1.1.0] - Unreleased\n"
    assert release.changelog_date(text, "1.2.0") == "2025-01-31"
    assert release.changelog_date(text, "1.1.0") == "Unreleased"
    assert release.changelog_date(text, "1.3.0") is None


def test_release_check_mode_passes_and_release_mode_wants_a_date():
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "release"), "--check"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    found = release.problems(mwlint.__version__, released=True)
    date = release.changelog_date(_read("CHANGELOG.md"), mwlint.__version__)
    assert (date == "Unreleased") == any("set the release date" in m for m in found)


def test_pre_commit_manifest_and_readme_pin():
    hooks = yaml.safe_load(_read(".pre-commit-hooks.yaml"))
    (main,) = [h for h in hooks if h["id"] == "mwlint"]
    assert main["language"] == "python" and main["entry"].split()[0] == "mwlint"
    readme = _read("README.md")
    assert "rev: v" not in readme  # a tag does not travel with a clone of main


# pre-commit's frozen style: the release commit's id, with the version it carries as a comment
FROZEN = re.compile(r"^\s*rev: (?P<sha>[0-9a-f]{40})  # frozen: v(?P<version>\d+\.\d+\.\d+)$", re.M)


@pytest.mark.parametrize("doc", ["README.md", "docs/build-report.md"])
def test_pre_commit_rev_names_the_release_commit_of_this_version(doc):
    """The snippet works from a clone of main: its ``rev:`` is a commit (tags are not part of
    what lands) that exists here and whose ``mwlint.__version__`` is the version named, and
    that version is the one being shipped."""
    pins = FROZEN.findall(_read(doc))
    assert pins, f"{doc}: no `rev: <sha>  # frozen: vX.Y.Z` pin"
    if not os.path.exists(os.path.join(ROOT, ".git")):
        pytest.skip("not a git checkout (an sdist): the pinned commit cannot be looked up")
    for sha, version in pins:
        assert version == mwlint.__version__, (doc, version)
        shown = subprocess.run(["git", "-C", ROOT, "show", f"{sha}:mwlint/__init__.py"],
                               capture_output=True, text=True, timeout=30)
        assert shown.returncode == 0, f"{doc}: commit {sha} is not in this clone: {shown.stderr}"
        assert f'__version__ = "{version}"' in shown.stdout, (doc, sha)
        changelog = subprocess.run(["git", "-C", ROOT, "show", f"{sha}:CHANGELOG.md"],
                                   capture_output=True, text=True, timeout=30).stdout
        assert release.changelog_date(changelog, version) not in (None, "Unreleased"), \
            f"{doc}: {sha} is not a release commit of {version} (no dated changelog section)"


def test_wheel_check_rejects_a_wheel_without_its_template(tmp_path):
    ver = mwlint.__version__
    wheel = tmp_path / f"mwlint-{ver}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("mwlint/__init__.py", "")
        z.writestr(f"mwlint-{ver}.dist-info/METADATA", f"Name: mwlint\nVersion: {ver}\n")
        z.writestr(f"mwlint-{ver}.dist-info/entry_points.txt",
                   "[console_scripts]\nmwlint = mwlint.__main__:main\n")
    with pytest.raises(SystemExit, match="report.html.j2"):
        release.check_wheel(str(wheel), ver)


def test_wheel_check_wants_the_licence(tmp_path):
    ver = mwlint.__version__
    wheel = tmp_path / f"mwlint-{ver}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("mwlint/formats/templates/report.html.j2", "")
        z.writestr(f"mwlint-{ver}.dist-info/METADATA", f"Name: mwlint\nVersion: {ver}\n")
        z.writestr(f"mwlint-{ver}.dist-info/entry_points.txt",
                   "[console_scripts]\nmwlint = mwlint.__main__:main\n")
    with pytest.raises(SystemExit, match="lacks its LICENSE"):
        release.check_wheel(str(wheel), ver)


def test_sdist_check_names_what_is_missing(tmp_path):
    import io
    import tarfile

    ver = mwlint.__version__
    sdist = tmp_path / f"mwlint-{ver}.tar.gz"
    with tarfile.open(sdist, "w:gz") as tar:
        for name in release.SDIST_DATA:
            if name != "tests/format_cases.py":
                info = tarfile.TarInfo(f"mwlint-{ver}/{name}")
                tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(SystemExit, match=r"the sdist lacks tests/format_cases\.py \(MANIFEST"):
        release.check_sdist(str(sdist), ver)


def test_build_a_wheel_that_carries_its_data(tmp_path):
    # Run from tmp_path: a setuptools ``build/`` folder in the checkout would otherwise shadow
    # the ``build`` package as a namespace package. No isolation: the test extra installs
    # build and setuptools>=77, so no package index is needed (CI fails without them).
    probe = subprocess.run([sys.executable, "-c", "import build.__main__, setuptools; "
                            "assert int(setuptools.__version__.split('.')[0]) >= 77"],
                           cwd=str(tmp_path), capture_output=True)
    if probe.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail("build and setuptools>=77 come with the test extra: pip install '.[test]'")
        pytest.skip("`build` or setuptools>=77 is not installed (pip install '.[test]')")
    p = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                        str(tmp_path), ROOT], capture_output=True, text=True, timeout=300,
                       cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    wheel = tmp_path / f"mwlint-{mwlint.__version__}-py3-none-any.whl"
    release.check_wheel(str(wheel), mwlint.__version__)

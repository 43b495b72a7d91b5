import os

import pytest

_CORPUS = os.environ.get("MWLINT_CORPUS")


@pytest.fixture(scope="session")
def corpus_dir():
    """The real hieradata tree named by MWLINT_CORPUS (set by .ci/run).

    Unset: the test is skipped with a visible reason. Set but missing: a failure, since CI
    said the corpus is there.
    """
    if not _CORPUS:
        pytest.skip("MWLINT_CORPUS is not set: whole-tree tests need the real hieradata tree")
    if not os.path.isdir(_CORPUS):
        pytest.fail(f"MWLINT_CORPUS is set but is not a directory: {_CORPUS}")
    return _CORPUS


_CHARTS_REAL = os.environ.get("MWLINT_DEPLOYMENT_CHARTS_REAL")


@pytest.fixture(scope="session")
def charts_real_dir():
    """The real operations/deployment-charts helmfiles named by
    MWLINT_DEPLOYMENT_CHARTS_REAL (set by .ci/run; third-party data, never copied here).

    Unset: the test is skipped with a visible reason. Set but missing: a failure.
    """
    if not _CHARTS_REAL:
        pytest.skip("MWLINT_DEPLOYMENT_CHARTS_REAL is not set: the real-helmfile tests need "
                    "a deployment-charts checkout")
    if not os.path.isdir(os.path.join(_CHARTS_REAL, "helmfile.d")):
        pytest.fail(f"MWLINT_DEPLOYMENT_CHARTS_REAL is set but holds no helmfile.d: "
                    f"{_CHARTS_REAL}")
    return _CHARTS_REAL

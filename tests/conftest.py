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

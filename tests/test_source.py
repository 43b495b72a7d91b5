"""Step 1: reading bytes (pre-filter, BOMs, size, NUL, UTF-8, depth pre-scan)."""

import codecs
import os

import pytest

from mwlint.source import InputProblem, SourceText, read_bytes, read_file

KEY = b"profile::kubernetes::deployment_server::mediawiki::release::mw_releases: []\n"
BIG = 10 * 1024 * 1024


def test_file_without_the_key_is_skipped_before_decoding():
    assert read_bytes(b"\xff\xfe\x00 binary junk", "x.yaml", BIG) is None
    assert read_bytes(b"foo: bar\n", "x.yaml", BIG) is None


def test_rendered_file_is_never_skipped():
    out = read_bytes(b"- namespace: mw-web\n", "mediawiki-deployments.yaml", BIG, force=True)
    assert isinstance(out, SourceText)


def test_plain_utf8_with_key():
    out = read_bytes(KEY, "k.yaml", BIG)
    assert isinstance(out, SourceText) and out.text.startswith("profile::")


@pytest.mark.parametrize("bom,enc", [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_boms_are_decoded_first(bom, enc):
    out = read_bytes(bom + KEY.decode().encode(enc), "k.yaml", BIG)
    assert isinstance(out, SourceText), out
    assert out.text.startswith("profile::")


def test_utf16_without_key_is_skipped():
    assert read_bytes(codecs.BOM_UTF16_LE + "a: b\n".encode("utf-16-le"), "k.yaml", BIG) is None


def test_nul_byte_is_mw003_with_position():
    out = read_bytes(KEY + b"x: a\x00b\n", "k.yaml", BIG)
    assert isinstance(out, InputProblem)
    assert (out.code, out.line, out.column) == ("MW003", 2, 5)
    assert "NUL" in out.message


def test_invalid_utf8_is_mw003_with_position():
    out = read_bytes(KEY + b"x: caf\xe9\n", "k.yaml", BIG)
    assert isinstance(out, InputProblem)
    assert (out.code, out.line, out.column) == ("MW003", 2, 7)
    assert "0xe9" in out.message
    assert out.help == "re-encode the file as UTF-8, the only encoding hiera and scap read"


def test_input_problems_say_how_to_fix_in_their_help_line(tmp_path):
    """Issue 12: the message says what is wrong, the help how to fix it."""
    from mwlint.engine import lint_text

    p = tmp_path / "big.yaml"
    p.write_bytes(KEY + b" " * 2048)
    out = read_file(str(p), "big.yaml", 1024)
    assert out.message.endswith("so it is not read") and "--max-file-size" in out.help
    (f,) = lint_text(KEY.decode() + "x: \"a\x07b\"\n", "k.yaml")  # a BEL, raw in the file
    assert f.code == "MW001" and f.message.startswith("YAML cannot hold character U+0007")
    assert f.help == "remove it, or write it as an escape inside a double-quoted string"


def test_size_limit_is_checked_from_metadata(tmp_path):
    p = tmp_path / "big.yaml"
    with open(p, "wb") as f:
        f.truncate(2048)
    out = read_file(str(p), "big.yaml", 1024)
    assert isinstance(out, InputProblem) and out.code == "MW003"
    assert "max-file-size" in out.message


def test_vanished_file_is_mw003(tmp_path):
    out = read_file(str(tmp_path / "gone.yaml"), "gone.yaml", BIG)
    assert isinstance(out, InputProblem) and "vanished" in out.message


def test_unreadable_file_is_mw003(tmp_path, monkeypatch):
    p = tmp_path / "k.yaml"
    p.write_bytes(KEY)
    real_open = os.open  # the reader opens the file descriptor itself

    def deny(path, *a, **kw):
        if os.fspath(path) == str(p):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **kw)

    monkeypatch.setattr(os, "open", deny)
    out = read_file(str(p), "k.yaml", BIG)
    assert isinstance(out, InputProblem) and out.code == "MW003"
    assert "Permission denied" in out.message


def test_fifo_is_not_opened(tmp_path):
    p = tmp_path / "pipe.yaml"
    os.mkfifo(p)
    out = read_file(str(p), "pipe.yaml", BIG)
    assert isinstance(out, InputProblem) and "regular file" in out.message


@pytest.mark.parametrize("text,what", [
    ("[" * 101 + "]" * 101, "flow"),
    ("{a: " * 101 + "}" * 101, "flow"),
    ("a:\n" + " " * 401 + "b: c\n", "indentation"),
])
def test_depth_prescan_is_mw001(text, what):
    out = read_bytes(KEY + text.encode(), "k.yaml", BIG)
    assert isinstance(out, InputProblem) and out.code == "MW001"
    assert what in out.message


def test_brackets_inside_quotes_and_comments_do_not_count():
    text = "x: '" + "[" * 200 + "'\ny: \"" + "{" * 200 + "\"\n# " + "[" * 200 + "\n"
    assert isinstance(read_bytes(KEY + text.encode(), "k.yaml", BIG), SourceText)


def test_100_deep_is_still_parsed():
    text = "x: " + "[" * 100 + "]" * 100 + "\n"
    assert isinstance(read_bytes(KEY + text.encode(), "k.yaml", BIG), SourceText)


# -- the walk: os.walk's order and choices, without a stat per entry -----------------------

def _walk_reference(top):
    """What discovery returned when it used os.walk (sorted names, .git skipped)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        out.extend(os.path.join(dirpath, n) for n in sorted(filenames)
                   if n.endswith((".yaml", ".yml")))
    return out


def _tree(root):
    for d in ("b", "a/z", "a/y/x", ".git/objects", "c.yaml.d", "Z"):
        os.makedirs(os.path.join(root, d))
    for f in ("b/1.yaml", "a/z/2.yml", "a/y/x/3.yaml", "a/y/4.yaml", ".git/5.yaml",
              "c.yaml.d/6.yaml", "Z/7.yaml", "top.yaml", "top.yml.txt", "a/_.yaml",
              "a/B.yaml"):
        with open(os.path.join(root, f), "w") as fh:
            fh.write("x: 1\n")
    os.symlink(os.path.join(root, "b"), os.path.join(root, "a", "link-dir"))  # not entered
    os.symlink(os.path.join(root, "b", "1.yaml"), os.path.join(root, "a", "link.yaml"))
    os.symlink(os.path.join(root, "gone"), os.path.join(root, "a", "dangling.yaml"))
    os.mkfifo(os.path.join(root, "a", "fifo.yaml"))


def test_discovery_walks_in_os_walk_order(tmp_path):
    from mwlint.engine import discover

    _tree(str(tmp_path))
    listings = {}
    got = discover([str(tmp_path)], listings)
    assert got == _walk_reference(str(tmp_path))
    assert os.path.join(str(tmp_path), "a", "link-dir", "1.yaml") not in got
    assert os.path.join(str(tmp_path), "a", "fifo.yaml") in got  # read (and refused) later
    assert listings[os.path.abspath(os.path.join(str(tmp_path), "a"))] == frozenset(
        os.listdir(os.path.join(str(tmp_path), "a")))


def test_discovery_skips_an_unreadable_directory_as_os_walk_does(tmp_path, monkeypatch):
    from mwlint.engine import discover

    _tree(str(tmp_path))
    real = os.scandir
    blocked = os.path.join(str(tmp_path), "a", "y")

    def scandir(path="."):
        if os.path.abspath(path) == blocked:
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    got = discover([str(tmp_path)])
    assert got == _walk_reference(str(tmp_path))
    assert not any(p.startswith(blocked + os.sep) for p in got)
    assert os.path.join(str(tmp_path), "a", "z", "2.yml") in got


def test_a_tree_deeper_than_the_recursion_limit_is_walked(tmp_path):
    """os.walk recurses once per level (RecursionError past ~1,000 levels); the walk
    keeps a stack of its own."""
    import sys

    from mwlint.engine import discover

    levels = [str(tmp_path)]
    try:
        for _ in range(sys.getrecursionlimit() + 100):
            levels.append(os.path.join(levels[-1], "d"))
            os.mkdir(levels[-1])  # (os.makedirs recurses too)
        deep = os.path.join(levels[-1], "deep.yaml")
        with open(deep, "w") as fh:
            fh.write("x: 1\n")
        assert discover([str(tmp_path)]) == [deep]
    finally:  # pytest's own clean-up of old temporary trees recurses as well
        if os.path.exists(os.path.join(levels[-1], "deep.yaml")):
            os.unlink(os.path.join(levels[-1], "deep.yaml"))
        for d in reversed(levels[1:]):
            if os.path.isdir(d):
                os.rmdir(d)


# -- the near-key pre-filter: only the lines holding the piece are matched ------------------

def _has_near_key_reference(text):
    """The pre-filter as it was: the key-line pattern over every line of the text, then
    difflib against every known key."""
    import difflib

    from mwlint.source import near

    def near_key(name):
        if len(name) > near._LONGEST or name in near.KNOWN_KEYS:
            return None
        low = name.lower()
        best, best_ratio = None, 0.0
        for known in near.KNOWN_KEYS:
            m = difflib.SequenceMatcher(None, low, known.lower())
            if m.real_quick_ratio() < near.NEAR_RATIO or m.quick_ratio() < near.NEAR_RATIO:
                continue
            r = m.ratio()
            if r < near.NEAR_RATIO or r <= best_ratio or near._variant(low, known.lower()):
                continue
            last = difflib.SequenceMatcher(None, low.rsplit("::", 1)[-1],
                                           known.lower().rsplit("::", 1)[-1]).ratio()
            if last >= near.NEAR_LAST_RATIO:
                best, best_ratio = known, r
        return best

    for i, m in enumerate(near._KEY_LINE.finditer(text)):
        if i >= near.LINE_BUDGET:
            return True
        if near_key(m.group(1)) is not None:
            return True
    return False


_KNOWN = ["profile::kubernetes::deployment_server::mediawiki::release::mw_releases",
          "profile::kubernetes::deployment_server::deploy_service::cluster_groups",
          "profile::kubernetes::deployment_server::helm_user_group", "deployment_server::x"]


def _key_lines():
    from hypothesis import strategies as st

    def edit(key, at, op, ch):
        at %= len(key) + 1
        if op == 0:
            return key[:at] + ch + key[at:]  # insert
        if op == 1:
            return key[:at] + key[at + 1:]  # delete
        return key[:at] + ch + key[at + 1:]  # replace

    key = st.builds(edit, st.sampled_from(_KNOWN), st.integers(0, 80), st.integers(0, 3),
                    st.sampled_from(["s", "_", ":", "X", " ", "'", "\t"]))
    line = st.builds(lambda indent, q, k, sep, tail: indent + q + k + q + sep + tail,
                     st.sampled_from(["", "  ", "\t", "- ", " " * 41]),
                     st.sampled_from(["", "'", '"']), key,
                     st.sampled_from([":", ": ", ":x", " :", ":\t"]),
                     st.sampled_from(["", "1", "# c", " deployment_server::y: 2"]))
    return st.lists(st.one_of(line, st.sampled_from(["", "a: 1", "# x", "---"])),
                    max_size=12)


def test_the_near_key_prefilter_agrees_with_the_whole_text_scan():
    from hypothesis import given, settings

    from mwlint.source.near import has_near_key, near_key

    seen = set()

    @settings(max_examples=500, deadline=None, database=None)
    @given(_key_lines(), __import__("hypothesis").strategies.sampled_from(["\n", "\r\n"]))
    def agree(lines, eol):
        text = eol.join(lines)
        want = _has_near_key_reference(text)
        assert has_near_key(text) == want
        seen.add(want)

    agree()
    assert seen == {True, False}  # both answers were put to the test
    known = "profile::kubernetes::deployment_server::mediawiki::release::mw_releases"
    assert near_key(known.replace("releases", "relases")) == known
    assert near_key(known.upper().replace("RELEASES", "RELASES")) == known
    assert near_key("profile::kubernetes::deployment_server::helm_user_group") is None
    many = "".join(f"profile::kubernetes::deployment_server::k{i}: 1\n" for i in range(300))
    assert has_near_key(many) and _has_near_key_reference(many)  # over the line budget


def test_a_read_error_after_the_open_is_mw003(tmp_path, monkeypatch):
    p = tmp_path / "k.yaml"
    p.write_bytes(KEY)

    def fail(fd, n):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "read", fail)
    out = read_file(str(p), "k.yaml", BIG)
    assert isinstance(out, InputProblem) and out.code == "MW003"
    assert "Input/output error" in out.message


def test_a_fifo_swapped_in_after_the_stat_does_not_block(tmp_path, monkeypatch):
    import threading

    p = tmp_path / "k.yaml"
    os.mkfifo(p)
    regular = os.stat(__file__)
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: regular
                        if os.fspath(path) == str(p) else real_stat(path, *a, **k))
    out = []
    t = threading.Thread(target=lambda: out.append(read_file(str(p), "k.yaml", BIG)),
                         daemon=True)
    t.start()
    t.join(5)
    assert not t.is_alive(), "the open of a FIFO blocked"
    assert out[0] is None or isinstance(out[0], InputProblem)


def test_the_prefilters_one_search_covers_the_deploy_service_marker():
    """_unconcerned looks for 'deployment_server::' and the MediaWiki marker only."""
    from mwlint.source.reader import DEPLOYMENTS_MARKER, NEAR_MARKER, SERVICE_MARKER

    assert NEAR_MARKER in SERVICE_MARKER and NEAR_MARKER not in DEPLOYMENTS_MARKER
    for text in (SERVICE_MARKER, DEPLOYMENTS_MARKER, "\ufeff" + "a: 1\n"):
        data = ("x" + text + "\n").encode("utf-8-sig" if text.startswith("\ufeff") else "utf-8")
        out = read_bytes(data, "k.yaml", BIG)
        assert out is not None or text.startswith("\ufeff"), text


def test_settings_of_files_by_their_directory_as_written(tmp_path, monkeypatch):
    """The resolver's per-directory memo is keyed by the directory as written: the cwd, the
    root and a directory are three keys, each resolved once."""
    from mwlint.config.resolve import ConfigResolver

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".mwlint.toml").write_text("ignore = ['MW2']\n")
    monkeypatch.chdir(tmp_path)
    r = ConfigResolver()
    assert r.settings_for("a.yaml").ignore == ()
    assert r.settings_for("sub/a.yaml").ignore == ("MW2",)
    assert r.settings_for(os.sep + "a.yaml").ignore == ()
    assert r.settings_for("a.yaml") is r.settings_for("b.yaml")
    assert r.settings_for("sub/a.yaml") is r.settings_for("sub/c.yml")


@pytest.mark.parametrize("name, read", [
    ("mediawiki-deployments.yaml", True), ("cluster-groups.yaml", True),
    ("service-catalog.yaml", True), ("not-mediawiki-deployments.yaml", False),
    ("kubernetes.yaml", False),
])
def test_a_rendered_scap_file_is_read_without_the_prefilter(tmp_path, name, read):
    """scap's rendered files hold the values without the hiera key: no marker, read all the
    same (by file name; a name that only ends like one is not one)."""
    from mwlint.source.reader import is_rendered_any

    p = tmp_path / name
    p.write_text("- namespace: mw-web\n  releases: {main: {}}\n")
    assert is_rendered_any(str(p)) is read
    out = read_file(str(p), str(p), BIG)
    assert isinstance(out, SourceText) if read else out is None

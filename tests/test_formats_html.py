"""``--format html``: one self-contained, escaped page."""

import re

import pytest
from format_cases import BROKEN, make_repo, mwlint, sample_report
from helpers import KEY_PATH

from mwlint.formats import render
from mwlint.rules import all_rules

pytest.importorskip("jinja2")


@pytest.fixture(scope="module")
def page():
    return render("html", sample_report())


def test_script_in_a_finding_is_escaped(page):
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page and "\\x1b[31mred" in page


def test_self_contained(page):
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page)
    assert "<link" not in page


def test_counts_by_severity_and_rule(page):
    for sev, n in (("error", 2), ("warning", 1), ("info", 1)):
        assert re.search(rf'sev-{sev}">{sev}</span></td><td>{n}</td>', page), sev
    for code, n in (("MW102", 1), ("MW103", 1), ("MW105", 1), ("MW206", 1)):
        assert re.search(rf'href="#rule-{code}"><code>{code}</code></a></td>.*?<td>{n}</td></tr>',
                         page), code


def test_findings_grouped_by_file_with_snippet(page):
    files = re.findall(r'<h3 class="path" id="file-\d+">([^<]+) <span', page)
    assert files == ["hieradata/common/profile/kubernetes/deployment_server/mediawiki/release.yaml",
                     KEY_PATH]
    # the MW105 finding shows lines 2..5 with line 4 highlighted
    assert '<span class="hit"><span class="ln">   4 </span>      main: {stage: canary}</span>' \
        in page


def test_every_rule_documented_in_the_page(page):
    for r in all_rules():
        assert f'id="rule-{r.code}"' in page
    assert page.count('<div class="rule" ') == len(all_rules())


def test_deterministic(page):
    assert render("html", sample_report()) == page


def test_real_run_to_file(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN})
    out = tmp_path / "report.html"
    p = mwlint("--select", "MW102", "--output", f"html={out}", str(repo))
    assert p.returncode == 1
    html = out.read_text(encoding="utf-8")
    assert "mwlint: FAILED (1 error)" in html
    assert "entry &#39;mw-misc&#39; has no web_flavour" in html
    assert "add web_flavour at namespace level" in html
    assert '<span class="ln"> 297 </span>' in html

#!/usr/bin/env python3
"""mwlint against its peers and against the floors, as whole processes.

    python benchmarks/bench.py [--runs 5] [--corpus PATH]

What it does, in one run:

1. makes (or reuses) a virtual environment under ``benchmarks/work/venv`` from the
   interpreter running this script, with mwlint and the ``bench`` extra (yamllint,
   pre-commit-hooks' ``check-yaml``, ``check-jsonschema``) installed; mwlint is reinstalled
   whenever its sources change. Every command is timed through that venv's interpreter;
2. generates the data sets under ``benchmarks/work/data`` (deterministic);
3. runs every (data set, tool) pair as a whole process, interleaved and shuffled, ``--runs``
   times after one untimed warm-up, taking wall time and the child's peak RSS from
   ``os.wait4``;
4. writes ``benchmarks/RESULTS.md``: machine, versions, this command, the table of medians,
   the ratios against the targets, ``-X importtime`` of the pre-commit case, and a cProfile
   of mwlint for every data set whose target was missed. Everything after the line
   ``<!-- analysis -->`` in an existing RESULTS.md is kept (hand-written analysis).

Data sets: (a) the real hieradata tree (``--corpus``); (b) a dense tree of 1,473 variants of
the real key file, each of which mwlint must parse; (c) the real key file alone (pre-commit
latency); (d) generated ``mw_deployments`` configs of 1k, 10k and 100k releases.
Floors, under the same interpreter as mwlint: start + ``import yaml`` + discovering and
reading the same files; and libyaml (``CSafeLoader``) composition of the same files, gc on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shlex
import statistics
import subprocess
import sys
import time
from typing import Dict, List, NamedTuple, Optional, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORK = os.path.join(HERE, "work")
VENV = os.path.join(WORK, "venv")
# The same peers with ruamel.yaml's C loader (an opt-in extra since ruamel.yaml 0.19, so
# not what `pip install pre-commit-hooks` gives): their best case, for the record.
VENV_CLIB = os.path.join(WORK, "venv-clib")
CLIB_PEERS = ("pre-commit-hooks", "check-jsonschema", "ruamel.yaml.clib")
DATA = os.path.join(WORK, "data")
RESULTS = os.path.join(HERE, "RESULTS.md")
DEFAULT_CORPUS = os.path.join("..", "shared", "corpus",
                              "operations-puppet-hieradata-2024-10-24", "hieradata")
KEY_REL = os.path.join("role", "common", "deployment_server", "kubernetes.yaml")
FALLBACK_KEY_FILE = os.path.join(REPO, "tests", "fixtures", "real",
                                 "puppet-2024-10-17-cf184ede-kubernetes.yaml")
DENSE_FILES = 1473
SIZES = (1_000, 10_000, 100_000)
RELEASES_PER_ENTRY = 10
YAML_SUFFIXES = (".yaml", ".yml")
ANALYSIS_MARK = "<!-- analysis -->"
GENERATOR_VERSION = "3"  # bump when the generated data changes

# The floors: the same discovery as mwlint (sorted walk, *.yaml/*.yml, no .git).
_WALK = '''
import os, sys
def files(paths):
    for p in paths:
        if os.path.isdir(p):
            for d, dirs, names in os.walk(p):
                dirs[:] = sorted(x for x in dirs if x != ".git")
                for n in sorted(names):
                    if n.endswith((".yaml", ".yml")):
                        yield os.path.join(d, n)
        else:
            yield p
'''
FLOOR_READ = _WALK + '''
import yaml
for path in files(sys.argv[1:]):
    with open(path, "rb") as f:
        f.read()
'''
FLOOR_COMPOSE = _WALK + '''
import yaml
for path in files(sys.argv[1:]):
    with open(path, "rb") as f:
        data = f.read()
    try:
        root = yaml.compose(data, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        pass
'''
PERMISSIVE_SCHEMA = {"$schema": "http://json-schema.org/draft-07/schema#"}


# -- the venv -----------------------------------------------------------------------------

def venv_python(venv: str = VENV) -> str:
    return os.path.join(venv, "bin", "python")


def venv_script(name: str, venv: str = VENV) -> str:
    return os.path.join(venv, "bin", name)


def _source_stamp() -> str:
    h = hashlib.sha256()
    for base in ("mwlint",):
        for d, dirs, names in os.walk(os.path.join(REPO, base)):
            dirs[:] = sorted(x for x in dirs if x != "__pycache__")
            for n in sorted(names):
                if n.endswith((".py", ".typed")) or "templates" in d:
                    p = os.path.join(d, n)
                    h.update(os.path.relpath(p, REPO).encode())
                    with open(p, "rb") as f:
                        h.update(f.read())
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def _pip(*args: str) -> None:
    cmd = [venv_python(), "-m", "pip", "install", "-q", "--disable-pip-version-check", *args]
    print("bench: " + " ".join(shlex.quote(a) for a in cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def ensure_venv(base_python: str) -> None:
    """The benchmark's own venv: the peers (the ``bench`` extra) and mwlint, nowhere else."""
    if not os.path.exists(venv_python()):
        os.makedirs(WORK, exist_ok=True)
        subprocess.run([base_python, "-m", "venv", VENV], check=True)
        _pip(REPO + "[bench]")
    stamp_file = os.path.join(WORK, "mwlint.stamp")
    stamp = _source_stamp()
    old = open(stamp_file).read().strip() if os.path.exists(stamp_file) else ""
    if old != stamp:
        _pip("--no-deps", "--force-reinstall", REPO)
        with open(stamp_file, "w") as f:
            f.write(stamp + "\n")
    for tool in ("mwlint", "yamllint", "check-yaml", "check-jsonschema"):
        if not os.path.exists(venv_script(tool)):
            _pip(REPO + "[bench]")
            break
    if not os.path.exists(venv_script("check-jsonschema", VENV_CLIB)):
        subprocess.run([base_python, "-m", "venv", VENV_CLIB], check=True)
        cmd = [venv_python(VENV_CLIB), "-m", "pip", "install", "-q",
               "--disable-pip-version-check", *CLIB_PEERS]
        print("bench: " + " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, check=True)


# -- the data -----------------------------------------------------------------------------

def _dense_variant(text: str, i: int) -> str:
    """Variant ``i`` of the key file: a header, and for odd ``i`` renamed namespaces."""
    if i % 2:
        text = re.sub(r"(?m)^(\s*-?\s*namespace:\s*)([\w-]+)", rf"\g<1>\g<2>-v{i}", text)
    return f"# dense variant {i}: generated by benchmarks/bench.py\n" + text


def generated_config(releases: int) -> str:
    """An ``mw_deployments`` value (mapping form) with ``releases`` releases, 10 per target,
    shaped like the late-2025 production file: valid, so every rule runs to the end."""
    out = [
        "# generated by benchmarks/bench.py",
        "scap::k8s_deployments:",
        "  clusters: [eqiad, codfw]",
        "profile::kubernetes::deployment_server::mediawiki::release::mw_deployments:",
        "  deployment_targets:",
    ]
    entries = releases // RELEASES_PER_ENTRY
    for e in range(entries):
        out.append(f"    - namespace: mw-ns{e:05d}")
        out.append("      scope: train")
        out.append("      releases:")
        for r in range(RELEASES_PER_ENTRY):
            if r == 1:
                out.append(f"        canary{r}:")
                out.append('          stage: "canaries"')
            elif r == 2:
                out.append(f"        next{r}:")
                out.append("          deploy: false")
            else:
                out.append(f"        main{r}: {{}}")
        if e % 7 == 0:
            out.append('      mw_kind: "cli-image"')
        out.append('      mw_flavour: "publish-83"')
        out.append('      web_flavour: "webserver-bookworm"')
    out += [
        "  supervision_rules:",
        "    - scope: train",
        "      stages:",
        "        canaries:",
        "          - logstash_check:",
        "              threshold: 10",
        "        production:",
        "          - logstash_check:",
        "              threshold: 150",
        "",
    ]
    return "\n".join(out)


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def key_file_for(corpus: Optional[str]) -> str:
    if corpus:
        p = os.path.join(corpus, KEY_REL)
        if os.path.isfile(p):
            return p
    return FALLBACK_KEY_FILE


def ensure_data(key_file: str) -> None:
    with open(key_file, encoding="utf-8") as f:
        key_text = f.read()
    stamp = hashlib.sha256((GENERATOR_VERSION + key_text).encode()).hexdigest()
    stamp_file = os.path.join(DATA, "stamp")
    if os.path.exists(stamp_file) and open(stamp_file).read().strip() == stamp:
        return
    print("bench: generating data sets", file=sys.stderr)
    import shutil

    shutil.rmtree(DATA, ignore_errors=True)
    for i in range(DENSE_FILES):
        _write(os.path.join(DATA, "dense", f"d{i // 100:02d}", f"kubernetes-{i:04d}.yaml"),
               _dense_variant(key_text, i))
    for n in SIZES:
        _write(os.path.join(DATA, f"releases-{n // 1000}k", "kubernetes.yaml"),
               generated_config(n))
    _write(os.path.join(WORK, "floor_read.py"), FLOOR_READ)
    _write(os.path.join(WORK, "floor_compose.py"), FLOOR_COMPOSE)
    _write(os.path.join(WORK, "permissive.schema.json"), json.dumps(PERMISSIVE_SCHEMA))
    _write(stamp_file, stamp + "\n")


def discover(paths: Sequence[str]) -> List[str]:
    out = []
    for p in paths:
        if os.path.isdir(p):
            for d, dirs, names in os.walk(p):
                dirs[:] = sorted(x for x in dirs if x != ".git")
                out += [os.path.join(d, n) for n in sorted(names) if n.endswith(YAML_SUFFIXES)]
        else:
            out.append(p)
    return out


class Dataset(NamedTuple):
    key: str  # a, b, c, d1k, ...
    label: str
    paths: List[str]  # what mwlint, yamllint and the floors are given
    files: List[str]  # every YAML file under paths (for the tools that take files only)
    linted: int  # files mwlint must parse (checked before timing)

    @property
    def size(self) -> int:
        return sum(os.path.getsize(f) for f in self.files)


def datasets(corpus: Optional[str], key_file: str, only: Optional[set]) -> List[Dataset]:
    out = []
    if corpus and os.path.isdir(corpus):
        out.append(Dataset("a", "real hieradata tree", [corpus], discover([corpus]), 1))
    dense = os.path.join(DATA, "dense")
    out.append(Dataset("b", f"dense tree ({DENSE_FILES} key-file variants)", [dense],
                       discover([dense]), DENSE_FILES))
    out.append(Dataset("c", "the real key file (pre-commit)", [key_file], [key_file], 1))
    for n in SIZES:
        p = os.path.join(DATA, f"releases-{n // 1000}k", "kubernetes.yaml")
        out.append(Dataset(f"d{n // 1000}k", f"generated, {n:,} releases", [p], [p], 1))
    if only:
        out = [d for d in out if d.key in only or d.key[0] in only]
    return out


# -- the tools ----------------------------------------------------------------------------

TOOLS = ("mwlint", "floor-read", "floor-compose", "yamllint", "yamllint-syntax", "check-yaml",
         "check-jsonschema", "check-yaml+clib", "check-jsonschema+clib")
TOOL_NOTES = {
    "mwlint": "`mwlint PATH` (every rule, text output)",
    "floor-read": "start + `import yaml` + the same discovery + reading every file",
    "floor-compose": "the floor-read + `yaml.compose(data, Loader=CSafeLoader)` per file, gc on",
    "yamllint": "`yamllint -f parsable -d '{extends: default}' PATH` (its default rules)",
    "yamllint-syntax": "`yamllint -f parsable -d '{rules: {}}' PATH` (syntax check only)",
    "check-yaml": "`check-yaml FILE...` (pre-commit-hooks; every YAML file, as pre-commit "
                  "passes them)",
    "check-jsonschema": "`check-jsonschema --schemafile permissive.schema.json FILE...`, a "
                        "schema without constraints (`{\"$schema\": draft-07}`): the cost is "
                        "loading the files and the validator, nothing rejected",
    "check-yaml+clib": "the same check-yaml in `benchmarks/work/venv-clib`, where "
                       "ruamel.yaml.clib is installed (ruamel.yaml's C loader, an opt-in extra "
                       "since ruamel.yaml 0.19): its best case, informational",
    "check-jsonschema+clib": "the same check-jsonschema with ruamel.yaml.clib, informational",
}


def command(tool: str, ds: Dataset) -> List[str]:
    py = venv_python()
    if tool == "mwlint":
        return [py, venv_script("mwlint"), *ds.paths]
    if tool == "floor-read":
        return [py, os.path.join(WORK, "floor_read.py"), *ds.paths]
    if tool == "floor-compose":
        return [py, os.path.join(WORK, "floor_compose.py"), *ds.paths]
    if tool == "yamllint":
        return [py, venv_script("yamllint"), "-f", "parsable", "-d", "{extends: default}",
                *ds.paths]
    if tool == "yamllint-syntax":
        return [py, venv_script("yamllint"), "-f", "parsable", "-d", "{rules: {}}", *ds.paths]
    if tool == "check-yaml":
        return [py, venv_script("check-yaml"), *ds.files]
    if tool == "check-jsonschema":
        return [py, venv_script("check-jsonschema"), "--schemafile",
                os.path.join(WORK, "permissive.schema.json"), *ds.files]
    if tool == "check-yaml+clib":
        return [venv_python(VENV_CLIB), venv_script("check-yaml", VENV_CLIB), *ds.files]
    if tool == "check-jsonschema+clib":
        return [venv_python(VENV_CLIB), venv_script("check-jsonschema", VENV_CLIB),
                "--schemafile", os.path.join(WORK, "permissive.schema.json"), *ds.files]
    raise ValueError(tool)


def child_env() -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["NO_COLOR"] = "1"
    return env


class Sample(NamedTuple):
    seconds: float
    maxrss_kib: int
    rc: int


# The launcher: a small interpreter (no site, no imports beyond os/sys/time) that spawns each
# command and reaps it with os.wait4. A child's ru_maxrss includes the memory of the process
# it was forked from, so spawning from this script (tens of MiB) would inflate every
# reading; the launcher is ~8 MiB, below the smallest command measured (python + yaml).
LAUNCHER = r"""
import os, sys, time
inp, out = sys.stdin.buffer, sys.stdout
while True:
    line = inp.readline()
    if not line:
        break
    err, *argv = [os.fsdecode(x) for x in line.rstrip(b"\n").split(b"\0")]
    actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _pid, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - t0
    out.write("%r %d %d\n" % (elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status)))
    out.flush()
"""


class Launcher:
    def __init__(self, env: Dict[str, str]):
        self.proc = subprocess.Popen([venv_python(), "-I", "-S", "-c", LAUNCHER],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     env=env, cwd=WORK)

    def run(self, argv: List[str], err_path: str) -> Sample:
        line = b"\0".join(os.fsencode(a) for a in [err_path, *argv]) + b"\n"
        self.proc.stdin.write(line)
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline().split()
        if len(reply) != 3:
            sys.exit("bench: the launcher died")
        return Sample(float(reply[0]), int(reply[1]), int(reply[2]))

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


# -- measurements -------------------------------------------------------------------------

def sanity(ds: Dataset, env: Dict[str, str]) -> None:
    """mwlint must examine every file and parse the ones holding the key."""
    out = subprocess.run([venv_python(), venv_script("mwlint"), "--format", "json", *ds.paths],
                         capture_output=True, env=env, cwd=WORK)
    if out.returncode not in (0, 1):
        sys.exit(f"bench: mwlint failed on {ds.label}: {out.stderr.decode()[-500:]}")
    summary = json.loads(out.stdout)["summary"]
    if summary["files"] != len(ds.files) or summary["linted"] != ds.linted:
        sys.exit(f"bench: mwlint examined {summary['files']} files / linted "
                 f"{summary['linted']} on {ds.label}; expected {len(ds.files)} / {ds.linted}")


def measure(sets: List[Dataset], tools: Sequence[str], runs: int, seed: int):
    env = child_env()
    err_path = os.path.join(WORK, "last-stderr.txt")
    launcher = Launcher(env)
    jobs = [(ds, t) for ds in sets for t in tools]
    samples: Dict[tuple, List[Sample]] = {(ds.key, t): [] for ds, t in jobs}
    rcs: Dict[tuple, set] = {}
    for ds in sets:
        sanity(ds, env)
    print(f"bench: warm-up ({len(jobs)} commands)", file=sys.stderr)
    for ds, t in jobs:
        s = launcher.run(command(t, ds), err_path)
        if t.startswith("floor") and s.rc != 0:
            sys.exit(f"bench: {t} failed on {ds.label}: {open(err_path).read()[-500:]}")
        if s.rc < 0:
            sys.exit(f"bench: {t} was killed by signal {-s.rc} on {ds.label}")
    rng = random.Random(seed)
    for n in range(runs):
        order = list(jobs)
        rng.shuffle(order)
        t0 = time.perf_counter()
        for ds, t in order:
            s = launcher.run(command(t, ds), err_path)
            samples[(ds.key, t)].append(s)
            rcs.setdefault((ds.key, t), set()).add(s.rc)
        print(f"bench: round {n + 1}/{runs} took {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)
    launcher.close()
    return samples, rcs


def median_time(samples: List[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def median_rss(samples: List[Sample]) -> float:
    return statistics.median(s.maxrss_kib for s in samples) / 1024.0


def importtime(ds: Dataset, runs: int = 7):
    """Median ``-X importtime`` per module for mwlint on ``ds``: (total ms, rows)."""
    env = child_env()
    per_mod: Dict[str, List[tuple]] = {}
    totals = []
    for _ in range(runs):
        out = subprocess.run([venv_python(), "-X", "importtime", venv_script("mwlint"),
                              *ds.paths], capture_output=True, env=env, cwd=WORK, text=True)
        total = 0
        for line in out.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
            if not m:
                continue
            self_us, cum_us, indent, name = int(m[1]), int(m[2]), len(m[3]), m[4]
            per_mod.setdefault(name, []).append((self_us, cum_us, indent))
            if indent == 1:
                total += cum_us
        totals.append(total)
    rows = []
    for name, vals in per_mod.items():
        rows.append((name, statistics.median(v[0] for v in vals) / 1000,
                     statistics.median(v[1] for v in vals) / 1000, vals[0][2]))
    return statistics.median(totals) / 1000, rows


def cprofile(ds: Dataset, top: int = 18) -> str:
    prof = os.path.join(WORK, f"profile-{ds.key}.prof")
    subprocess.run([venv_python(), "-m", "cProfile", "-o", prof, venv_script("mwlint"),
                    *ds.paths], stdout=subprocess.DEVNULL, env=child_env(), cwd=WORK)
    code = (
        "import pstats, sys, io\n"
        "s = io.StringIO()\n"
        "p = pstats.Stats(sys.argv[1], stream=s)\n"
        "p.strip_dirs().sort_stats('tottime').print_stats(int(sys.argv[2]))\n"
        "print(s.getvalue())\n"
    )
    out = subprocess.run([venv_python(), "-c", code, prof, str(top)], capture_output=True,
                         text=True, env=child_env())
    lines = out.stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if "function calls" in line), 0)
    return "\n".join(line.rstrip() for line in lines[start:] if line.strip())


# -- report -------------------------------------------------------------------------------

def _versions() -> Dict[str, str]:
    code = (
        "import json, sys, platform\n"
        "from importlib.metadata import version\n"
        "import yaml\n"
        "out = {'python': platform.python_implementation() + ' ' + platform.python_version(),\n"
        "       'PyYAML': yaml.__version__ + (' (libyaml %s)' % __import__('yaml._yaml', "
        "fromlist=['x']).get_version_string() if yaml.__with_libyaml__ else ' (no libyaml)')}\n"
        "for d in ('mwlint', 'yamllint', 'pre-commit-hooks', 'check-jsonschema', "
        "'jsonschema', 'ruamel.yaml', 'ruamel.yaml.clib'):\n"
        "    try:\n"
        "        out[d] = version(d)\n"
        "    except Exception:\n"
        "        out[d] = 'not installed'\n"
        "print(json.dumps(out))\n"
    )
    out = subprocess.run([venv_python(), "-c", code], capture_output=True, text=True,
                         check=True, env=child_env())
    versions = json.loads(out.stdout)
    clib = subprocess.run([venv_python(VENV_CLIB), "-c", code.replace("import yaml\n", "")
                           .replace("'PyYAML': yaml.__version__ + (' (libyaml %s)' % "
                                    "__import__('yaml._yaml', fromlist=['x'])"
                                    ".get_version_string() if yaml.__with_libyaml__ else "
                                    "' (no libyaml)')", "'PyYAML': ''")],
                          capture_output=True, text=True, env=child_env())
    if clib.returncode == 0:
        versions["ruamel.yaml.clib"] = json.loads(clib.stdout)["ruamel.yaml.clib"] + \
            " (venv-clib only)"
    return versions


def _machine() -> List[str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return [f"{cpu}, {os.cpu_count()} logical CPUs, {mem} RAM",
            f"{platform.system()} {platform.release()}"]


def _git() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, cwd=REPO).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "mwlint"],
                               capture_output=True, text=True, cwd=REPO).stdout.strip()
        return rev + (" with uncommitted changes under mwlint/" if dirty else "")
    except OSError:
        return "unknown"


def _rel(path: str) -> str:
    try:
        r = os.path.relpath(path, REPO)
    except ValueError:
        return path
    return path if r.startswith(os.pardir * 3) else r


class Target(NamedTuple):
    dataset: str
    what: str
    measured: str
    goal: str
    ok: bool


def evaluate(sets, samples) -> List[Target]:
    t = {k: median_time(v) for k, v in samples.items()}
    rss = {k: median_rss(v) for k, v in samples.items()}
    keys = {ds.key for ds in sets}
    out: List[Target] = []

    def ratio(key, peer):
        return t[(key, peer)] / t[(key, "mwlint")]

    def have(key, *tools):
        return key in keys and all((key, x) in t for x in ("mwlint",) + tools)

    if have("a", "floor-read"):
        r = t[("a", "mwlint")] / t[("a", "floor-read")]
        out.append(Target("a", "mwlint / floor-read", f"{r:.2f}x", "<= 1.5x", r <= 1.5))
    if have("a", "yamllint"):
        r = ratio("a", "yamllint")
        out.append(Target("a", "yamllint / mwlint", f"{r:.1f}x", ">= 20x", r >= 20))
    if have("a", "check-jsonschema"):
        r = ratio("a", "check-jsonschema")
        out.append(Target("a", "check-jsonschema / mwlint", f"{r:.1f}x", ">= 12x", r >= 12))
    if have("b", "yamllint"):
        r = ratio("b", "yamllint")
        out.append(Target("b", "yamllint / mwlint", f"{r:.1f}x", ">= 10x", r >= 10))
    if have("b", "check-yaml"):
        r = ratio("b", "check-yaml")
        out.append(Target("b", "check-yaml / mwlint", f"{r:.1f}x", ">= 3x", r >= 3))
    # the peers' best case (ruamel.yaml's opt-in C loader): informational rows
    if have("a", "check-jsonschema+clib"):
        r = ratio("a", "check-jsonschema+clib")
        out.append(Target("a", "check-jsonschema+clib / mwlint (informational)", f"{r:.1f}x",
                          ">= 12x", r >= 12))
    if have("b", "check-yaml+clib"):
        r = ratio("b", "check-yaml+clib")
        out.append(Target("b", "check-yaml+clib / mwlint (informational)", f"{r:.1f}x",
                          ">= 3x", r >= 3))
    if have("c", "floor-read"):
        d = (t[("c", "mwlint")] - t[("c", "floor-read")]) * 1000
        out.append(Target("c", "mwlint - floor-read", f"{d:+.1f} ms", "<= 40 ms", d <= 40))
    for n in SIZES:
        k = f"d{n // 1000}k"
        if have(k, "floor-compose"):
            r = t[(k, "mwlint")] / t[(k, "floor-compose")]
            out.append(Target(k, "time mwlint / floor-compose", f"{r:.2f}x", "<= 1.0x",
                              r <= 1.0))
            m = rss[(k, "mwlint")] / rss[(k, "floor-compose")]
            out.append(Target(k, "peak RSS mwlint / floor-compose", f"{m:.2f}x", "<= 1.0x",
                              m <= 1.0))
    if have("d10k") and have("d100k"):
        r = t[("d100k", "mwlint")] / t[("d10k", "mwlint")]
        out.append(Target("d100k", "time 100k / 10k (linearity)", f"{r:.2f}x", "<= 11x",
                          r <= 11))
    return out


def render(args, sets, tools, samples, rcs, targets, imports, profiles, versions,
           elapsed) -> str:
    L: List[str] = []
    L.append("# mwlint performance")
    L.append("")
    L.append("Generated by `benchmarks/bench.py`; do not edit above the analysis mark, rerun "
             "the script instead.")
    L.append("")
    L.append("## Run")
    L.append("")
    L.append(f"* command: `{args.command_line}`")
    L.append(f"* date: {time.strftime('%Y-%m-%d %H:%M %Z')}; {args.runs} timed runs of every "
             f"command, interleaved in a shuffled order per round after one untimed warm-up; "
             f"whole run {elapsed / 60:.1f} min")
    for m in _machine():
        L.append(f"* machine: {m}")
    L.append(f"* interpreter: {versions['python']} in `benchmarks/work/venv` (every command, "
             "floors included, runs under it)")
    L.append(f"* mwlint {versions['mwlint']} at {_git()}")
    L.append("* " + ", ".join(f"{k} {v}" for k, v in versions.items()
                              if k not in ("python", "mwlint")))
    L.append("")
    L.append("## Data sets")
    L.append("")
    L.append("| key | data set | files | bytes | files mwlint parses |")
    L.append("|---|---|---:|---:|---:|")
    for ds in sets:
        L.append(f"| {ds.key} | {ds.label} | {len(ds.files):,} | {ds.size:,} | {ds.linted:,} |")
    L.append("")
    L.append("## Commands")
    L.append("")
    for t in tools:
        L.append(f"* **{t}**: {TOOL_NOTES[t]}")
    L.append("")
    L.append("Every command is `benchmarks/work/venv/bin/python <script> ...` (the `+clib` "
             "rows: `benchmarks/work/venv-clib/bin/python`), stdout to /dev/null, stderr to a "
             "file, cwd `benchmarks/work` (so yamllint finds no project `.yamllint`). A small "
             "launcher process (`python -I -S`, ~8 MiB) spawns each command with "
             "`posix_spawn` and reaps it with `os.wait4`: wall time is `time.perf_counter()` "
             "around the two, peak RSS the child's `ru_maxrss` from the same `wait4` (a child "
             "forked from the big benchmark process would report that process's memory).")
    L.append("")
    L.append("## Results (medians)")
    L.append("")
    L.append("| data set | tool | median s | min s | max s | peak RSS MiB | exit | vs mwlint |")
    L.append("|---|---|---:|---:|---:|---:|---|---:|")
    for ds in sets:
        base = median_time(samples[(ds.key, "mwlint")]) if (ds.key, "mwlint") in samples \
            else None
        for t in tools:
            s = samples.get((ds.key, t))
            if not s:
                continue
            med = median_time(s)
            rel = f"{med / base:.2f}x" if base else ""
            rc = ",".join(str(x) for x in sorted(rcs[(ds.key, t)]))
            L.append(f"| {ds.key} | {t} | {med:.3f} | {min(x.seconds for x in s):.3f} | "
                     f"{max(x.seconds for x in s):.3f} | {median_rss(s):.1f} | {rc} | {rel} |")
    L.append("")
    L.append("\"vs mwlint\" is the tool's median time over mwlint's on the same data set "
             "(above 1: mwlint is faster).")
    L.append("")
    L.append("## Targets")
    L.append("")
    L.append("| data set | measure | measured | target | |")
    L.append("|---|---|---:|---|---|")
    for tg in targets:
        L.append(f"| {tg.dataset} | {tg.what} | {tg.measured} | {tg.goal} | "
                 f"{'met' if tg.ok else '**MISSED**'} |")
    L.append("")
    if imports:
        total, rows = imports
        L.append("## Import time of the pre-commit case (c)")
        L.append("")
        L.append(f"`python -X importtime benchmarks/work/venv/bin/mwlint <key file>`, median "
                 f"of 7 runs: {total:.1f} ms in imports in all. Top-level imports by cumulative "
                 "time:")
        L.append("")
        L.append("| module | cumulative ms | self ms |")
        L.append("|---|---:|---:|")
        top = sorted((r for r in rows if r[3] == 1), key=lambda r: -r[2])[:12]
        for name, self_ms, cum_ms, _ in top:
            L.append(f"| `{name}` | {cum_ms:.2f} | {self_ms:.2f} |")
        L.append("")
        L.append("Modules by own (self) time:")
        L.append("")
        L.append("| module | self ms |")
        L.append("|---|---:|")
        for name, self_ms, _cum, _ in sorted(rows, key=lambda r: -r[1])[:12]:
            L.append(f"| `{name}` | {self_ms:.2f} |")
        L.append("")
    if profiles:
        L.append("## Profiles of the missed targets")
        L.append("")
        for key, text in profiles:
            L.append(f"cProfile of `mwlint` on data set {key}, by own time:")
            L.append("")
            L.append("```")
            L.append(text)
            L.append("```")
            L.append("")
    return "\n".join(L) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5, help="timed runs of every command (5)")
    p.add_argument("--corpus", default=os.path.join(REPO, DEFAULT_CORPUS),
                   help="the real hieradata tree (default: ../shared/corpus/"
                        "operations-puppet-hieradata-2024-10-24/hieradata from the repo)")
    p.add_argument("--datasets", default="", help="comma-separated subset: a,b,c,d (or d10k)")
    p.add_argument("--tools", default="", help="comma-separated subset of " + ",".join(TOOLS))
    p.add_argument("--output", default=RESULTS, help="where to write (benchmarks/RESULTS.md)")
    p.add_argument("--profile", action="store_true",
                   help="profile mwlint on every data set, not only where a target is missed")
    p.add_argument("--seed", type=int, default=8)
    args = p.parse_args(argv)
    shown = [a if not os.path.isabs(a) else _rel(a) for a in (argv or sys.argv[1:])]
    args.command_line = " ".join(["python", "benchmarks/bench.py"] + [shlex.quote(a)
                                                                       for a in shown])
    started = time.perf_counter()
    corpus = args.corpus if os.path.isdir(args.corpus) else None
    if corpus is None:
        print(f"bench: no corpus at {args.corpus}: data set (a) is skipped", file=sys.stderr)
    ensure_venv(sys.executable)
    key_file = key_file_for(corpus)
    ensure_data(key_file)
    only = {x.strip() for x in args.datasets.split(",") if x.strip()} or None
    sets = datasets(corpus, key_file, only)
    tools = [t for t in TOOLS if not args.tools or t in args.tools.split(",")]
    if "mwlint" not in tools:
        tools.insert(0, "mwlint")
    samples, rcs = measure(sets, tools, args.runs, args.seed)
    targets = evaluate(sets, samples)
    imports = None
    single = [ds for ds in sets if ds.key == "c"]
    if single:
        imports = importtime(single[0])
    missed = {tg.dataset for tg in targets if not tg.ok}
    profiles = [(ds.key, cprofile(ds)) for ds in sets if args.profile or ds.key in missed]
    text = render(args, sets, tools, samples, rcs, targets, imports, profiles, _versions(),
                  time.perf_counter() - started)
    analysis = ""
    if os.path.exists(args.output):
        with open(args.output, encoding="utf-8") as f:
            old = f.read()
        if ANALYSIS_MARK in old:
            analysis = old[old.index(ANALYSIS_MARK):]
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text + ("\n" + analysis if analysis else "\n" + ANALYSIS_MARK + "\n"))
    for tg in targets:
        print(f"{tg.dataset:6} {tg.what:48} {tg.measured:>10} {tg.goal:10} "
              f"{'met' if tg.ok else 'MISSED'}")
    print(f"bench: wrote {_rel(args.output)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

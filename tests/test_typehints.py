"""mwlint.typehints.NamedTuple makes the classes typing.NamedTuple makes, without evaluating
the annotations (start-up time); every record type of the package uses it."""

from __future__ import annotations

import os
import pickle
import re
from typing import NamedTuple as TypingNamedTuple
from typing import Optional

import pytest
from helpers import HERE

from mwlint.typehints import NamedTuple


class Ours(NamedTuple):
    """A point."""

    x: int
    y: Optional[int] = None
    z: str = "z"

    @property
    def total(self) -> int:
        return self.x + (self.y or 0)

    def shifted(self, by: int) -> "Ours":
        return self._replace(x=self.x + by)


class Theirs(TypingNamedTuple):
    """A point."""

    x: int
    y: Optional[int] = None
    z: str = "z"

    @property
    def total(self) -> int:
        return self.x + (self.y or 0)

    def shifted(self, by: int) -> "Theirs":
        return self._replace(x=self.x + by)


def test_the_same_class_as_typing_makes():
    for attr in ("_fields", "_field_defaults", "__doc__", "__module__", "__qualname__"):
        got, want = getattr(Ours, attr), getattr(Theirs, attr)
        if attr == "__qualname__":
            got, want = got.replace("Ours", "X"), want.replace("Theirs", "X")
        assert got == want, attr
    # the one difference: the annotations stay text (typing's ForwardRef of the same text)
    assert Ours.__annotations__ == {"x": "int", "y": "Optional[int]", "z": "str"}
    assert {k: v.__forward_arg__ for k, v in Theirs.__annotations__.items()} \
        == Ours.__annotations__
    o, t = Ours(1), Theirs(1)
    assert tuple(o) == tuple(t) == (1, None, "z")
    assert isinstance(o, tuple) and o == (1, None, "z") and hash(o) == hash(t)
    assert o.total == t.total == 1 and o.shifted(2) == (3, None, "z")
    assert Ours._make([1, 2, "a"])._asdict() == {"x": 1, "y": 2, "z": "a"}
    assert repr(Ours(1, 2)) == "Ours(x=1, y=2, z='z')"
    assert pickle.loads(pickle.dumps(Ours(5, 6))) == Ours(5, 6)
    with pytest.raises(TypeError):
        Ours()  # x has no default


def test_what_typing_refuses_is_refused():
    with pytest.raises(TypeError, match="Non-default namedtuple field b cannot follow "
                                        "default field a"):
        class Bad(NamedTuple):
            a: int = 0
            b: int
    with pytest.raises(TypeError, match="Non-default namedtuple field c cannot follow "
                                        "default fields a, b$"):
        class Worst(NamedTuple):
            a: int = 0
            b: int = 1
            c: int
    with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute _replace"):
        class Worse(NamedTuple):
            a: int

            def _replace(self) -> None:  # type: ignore[override]
                pass


def test_no_module_of_the_package_uses_typings_namedtuple():
    root = os.path.join(os.path.dirname(HERE), "mwlint")
    offenders = []
    for d, _dirs, names in os.walk(root):
        for n in names:
            if n.endswith(".py") and n != "typehints.py":
                with open(os.path.join(d, n), encoding="utf-8") as f:
                    text = f.read()
                if re.search(r"^from typing import[^\n]*\bNamedTuple\b|^\s+NamedTuple,$", text,
                             re.M):
                    offenders.append(os.path.relpath(os.path.join(d, n), root))
    assert offenders == []


def test_a_plain_check_does_not_import_typing(tmp_path):
    """Every module takes its typing names under TYPE_CHECKING (ruff's TC004 catches one used
    at run time); a check of a real config in a fresh process never imports typing. (Out
    of the repository: its pyproject.toml is a config file, and tomllib imports typing.)"""
    import shutil
    import subprocess
    import sys

    key = str(tmp_path / "kubernetes.yaml")
    shutil.copy(os.path.join(HERE, "fixtures", "real",
                             "puppet-2024-10-17-cf184ede-kubernetes.yaml"), key)
    code = ("import sys\nfrom mwlint.__main__ import main\nsys.argv = ['mwlint', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('typing', 'difflib', 'inspect', 'dataclasses') "
            "if m in sys.modules), file=sys.stderr)")
    p = subprocess.run([sys.executable, "-c", code, key], capture_output=True, text=True,
                       timeout=60)
    assert p.stderr.splitlines()[-1] == "[]", p.stderr


def test_the_run_time_stand_ins():
    from mwlint import typehints

    assert typehints.TYPE_CHECKING is False
    assert typehints.cast("int", [1]) == [1]  # the identity, whatever the type says

    def f() -> int:
        return 1

    assert typehints.overload(f) is f

    class P(typehints.Protocol):
        def name(self) -> str: ...

    assert P.__mro__[1] is typehints.Protocol

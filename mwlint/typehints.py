"""What the package's modules take from :mod:`typing` at run time, without importing it.

``typing`` costs ~3 ms of every start-up, and a run needs none of it: every module has
``from __future__ import annotations`` and imports its typing names under
``if TYPE_CHECKING:`` (``TYPE_CHECKING`` from here, False at run time; mypy and ruff
read any ``TYPE_CHECKING`` as true, and ruff's TC004 catches a name used at run time).
What is used at run time is here:

- :func:`cast`: the identity (type checkers see :func:`typing.cast`); its type argument
  is written as text, so nothing of it is evaluated;
- ``Protocol``: a plain base class (no module checks a protocol at run time);
- :func:`overload`: the identity (the last definition of the name is the one that runs);
- ``NamedTuple``: the same classes as
:class:`typing.NamedTuple` (a :func:`collections.namedtuple` with the body's methods, its
defaults and its annotations), made without evaluating the annotations.

Under ``from __future__ import annotations`` every field's annotation is a string, and
:class:`typing.NamedTuple` compiles each into a ``ForwardRef`` to check it: 28 classes
cost ~4.7 ms of every start-up, two thirds of it in those checks. Type checkers see
:class:`typing.NamedTuple` itself.
"""

from __future__ import annotations

import collections

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Tuple

# what typing.NamedTuple refuses in a class body, and what it does not copy
_PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields",
                         "_field_defaults", "_make", "_replace", "_asdict", "_source"})
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})


class _Meta(type):
    def __new__(mcs, typename: str, bases: Tuple[type, ...], ns: Dict[str, Any]) -> Any:
        types = ns.get("__annotations__", {})
        defaults = []
        for name in types:
            if name in ns:
                defaults.append(name)
            elif defaults:
                raise TypeError(f"Non-default namedtuple field {name} cannot follow default "
                                f"field{'s' if len(defaults) > 1 else ''} "
                                f"{', '.join(defaults)}")
        make: Any = collections.namedtuple  # (its arguments are computed here)
        cls = make(typename, list(types), defaults=[ns[n] for n in defaults],
                   module=ns["__module__"])
        cls.__annotations__ = dict(types)
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in cls._fields:
                setattr(cls, key, value)
        return cls


if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
    from typing import Protocol as Protocol
    from typing import cast as cast
    from typing import overload as overload
else:
    NamedTuple = type.__new__(_Meta, "NamedTuple", (), {})

    class Protocol:
        __slots__ = ()

    def cast(_type, value):
        return value

    def overload(func):
        return func

__all__ = ["NamedTuple", "Protocol", "TYPE_CHECKING", "cast", "overload"]

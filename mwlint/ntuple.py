"""``NamedTuple`` for the modules a check imports at start-up: the same classes as
:class:`typing.NamedTuple` (a :func:`collections.namedtuple` with the body's methods, its
defaults and its annotations), made without evaluating the annotations.

Under ``from __future__ import annotations`` every field's annotation is a string, and
:class:`typing.NamedTuple` compiles each into a ``ForwardRef`` to check it: 28 classes
cost ~4.7 ms of every start-up, two thirds of it in those checks. Type checkers see
:class:`typing.NamedTuple` itself.
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any, Dict, Tuple

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
else:
    NamedTuple = type.__new__(_Meta, "NamedTuple", (), {})

__all__ = ["NamedTuple"]

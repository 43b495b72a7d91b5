"""Compose YAML text into nodes, with libyaml when available.

Node composition keeps the tag of every node, so unknown tags (``!ruby/regexp``, ``!vault``)
are tolerated as their plain node kind; nothing is constructed, so no unsafe loader is ever
involved. Syntax errors become :class:`ParseError` at the parser's position.
"""

from __future__ import annotations

import gc
import re

import yaml

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import List, Optional, Tuple, Type, Union

# libyaml when built in: fast node composition with marks
_Loader: Union[Type[yaml.CSafeLoader], Type[yaml.SafeLoader]] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader)


class ParseError(Exception):
    def __init__(self, message: str, line: int, column: int, help: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.help = help  # how to fix it, or None


_BREAKS = r"\r\n|[\r\n\x85\u2028\u2029]"  # compiled on the first error, not at import


def _inside(text: str, line: int, col: int) -> Tuple[int, int]:
    """Keep an error position inside the text: at the end of a last line without a line
    break, libyaml reports the line after it, which does not exist."""
    breaks = list(re.finditer(_BREAKS, text))
    if line <= len(breaks) + 1:
        return line, col
    last_start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, len(text) - last_start + 1


def later_documents(text: str) -> List[yaml.Node]:
    """The root nodes of the second and later documents of ``text`` (hiera reads only the
    first): composed again, so only call it for a text that may have more than one (its
    keys of a family written after a document marker). ``[]`` when it does not parse."""
    loader = _Loader(text)
    out: List[yaml.Node] = []
    try:
        if loader.check_node():
            loader.get_node()
            while loader.check_node():
                node = loader.get_node()
                if node is not None:  # never after check_node(): for the type checker
                    out.append(node)
    except (yaml.YAMLError, RecursionError):
        return []
    finally:
        try:
            loader.dispose()
        except Exception:  # pragma: no cover - a loader that cannot be disposed
            pass
    return out


def compose(text: str) -> Optional[yaml.Node]:
    """The first document's root node (``None`` for an empty document).

    Later documents are parsed too, so a syntax error anywhere is reported.
    """
    loader = _Loader(text)
    # Composition allocates many small objects that all stay alive: collecting in the
    # middle of it is wasted work.
    enabled = gc.isenabled()
    gc.disable()
    try:
        root = None
        if loader.check_node():
            root = loader.get_node()
            while loader.check_node():
                loader.get_node()
        return root
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or "invalid YAML"
        if e.context:
            problem = f"{problem} ({e.context})"
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        line, col = _inside(text, line, col)
        raise ParseError(f"YAML syntax error: {problem}", line, col) from None
    except yaml.reader.ReaderError as e:
        pos = e.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts UTF-8 bytes
            pos = len(text.encode("utf-8")[:pos].decode("utf-8", "ignore"))
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        char = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "?")
        raise ParseError(f"YAML cannot hold character U+{char:04X}: {e.reason}", line, col,
                         "remove it, or write it as an escape inside a double-quoted "
                         "string") from None
    except yaml.YAMLError as e:
        raise ParseError(f"YAML error: {e}".replace("\n", " "), 1, 1) from None
    except RecursionError:
        raise ParseError("YAML nesting too deep for the parser", 1, 1) from None
    finally:
        if enabled:
            gc.enable()
        try:
            loader.dispose()
        except Exception:  # pragma: no cover - dispose never matters
            pass

"""Read one file: size limit, BOMs, the cheap pre-filter, NUL bytes, UTF-8, nesting depth.

Returns text to parse, ``None`` for a file that does not concern mwlint, or an
:class:`InputProblem` (MW003 unreadable, MW001 too deep). Never raises for bad input.
"""

from __future__ import annotations

import codecs
import os
import stat

from mwlint.source.depth import too_deep
from mwlint.source.near import has_near_key
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Optional, Union

# Every deployments key contains this; files whose bytes lack it are skipped undecoded.
DEPLOYMENTS_MARKER = "::mediawiki::release::mw_"
_MARKER_BYTES = DEPLOYMENTS_MARKER.encode()
RENDERED_NAME = "mediawiki-deployments.yaml"
# The two ``scap deploy-service`` keys contain this (``...::deploy_service::cluster_groups``,
# ``...::deploy_service::service_catalog``); their rendered files are read whatever they hold.
SERVICE_MARKER = "::deployment_server::deploy_service::"
_SERVICE_MARKER_BYTES = SERVICE_MARKER.encode()
# What a misspelt key of either family most likely still holds (MW007: the locator
# compares such keys with the known ones): ``...::deployment_server::mediawiki::releases::...``
NEAR_MARKER = "deployment_server::"
_NEAR_MARKER_BYTES = NEAR_MARKER.encode()
SERVICE_RENDERED_NAMES = {"cluster-groups.yaml": "cluster_groups",
                          "service-catalog.yaml": "service_catalog"}

# O_NONBLOCK: a FIFO put in a file's place between the stat and the open does not block
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_NONBLOCK", 0))

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class SourceText(NamedTuple):
    path: str  # as displayed
    text: str


class InputProblem(NamedTuple):
    code: str  # "MW003" or "MW001"
    message: str
    line: int = 1
    column: int = 1
    help: Optional[str] = None


if TYPE_CHECKING:
    Outcome = Union[SourceText, InputProblem, None]


def is_rendered(path: str) -> bool:
    return os.path.basename(path) == RENDERED_NAME


def rendered_service_key(path: str) -> Optional[str]:
    """``cluster_groups`` / ``service_catalog`` for scap's rendered ``/etc/scap`` file of
    that key (by file name), else ``None``."""
    return SERVICE_RENDERED_NAMES.get(os.path.basename(path))


_RENDERED_ANY = frozenset((RENDERED_NAME, *SERVICE_RENDERED_NAMES))
_RENDERED_SUFFIXES = tuple(_RENDERED_ANY)


def is_rendered_any(path: str) -> bool:
    """A rendered scap file (MediaWiki or deploy-service): read without the pre-filter.
    (Asked of every file of a run: one ``endswith`` settles almost all of them.)"""
    return path.endswith(_RENDERED_SUFFIXES) and os.path.basename(path) in _RENDERED_ANY


def _size_problem(size: int, limit: int) -> InputProblem:
    # limit + 1 bytes: all that a capped read (stdin, a file growing) takes; the size is
    # only known to be over the limit
    size_text = f"{size} bytes, over" if size > limit + 1 else "over"
    return InputProblem(
        "MW003",
        f"file is {size_text} the max-file-size limit of {limit} bytes, so it is not read",
        help="raise --max-file-size if this is intended (a deployments config is a few "
             "kilobytes)",
    )


def _missing(path: str) -> InputProblem:
    if os.path.islink(path):
        return InputProblem("MW003", "dangling symbolic link: its target does not exist, so "
                                     "nothing was linted")
    return InputProblem("MW003", "file vanished after it was listed: nothing was linted")


def read_file(path: str, display: str, max_size: int, force: bool = False) -> Outcome:
    """Read ``path`` from disk. ``force`` disables the pre-filter."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return _missing(path)
    except OSError as e:
        return InputProblem("MW003", f"cannot read file: {e.strerror or e}")
    if not stat.S_ISREG(st.st_mode):
        return InputProblem(
            "MW003", "not a regular file (a FIFO, device or socket): it is not read"
        )
    if st.st_size > max_size:
        return _size_problem(st.st_size, max_size)
    try:
        # Sized from the stat, straight through the file descriptor (no file object: this
        # runs for every file of a tree); read(max_size + 1) would allocate a 10 MiB buffer
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        return _missing(path)
    except IsADirectoryError:
        return InputProblem("MW003", "is a directory, not a file")
    except OSError as e:
        return InputProblem("MW003", f"cannot read file: {e.strerror or e}")
    try:
        data = os.read(fd, st.st_size + 1)
        if len(data) != st.st_size:  # changed since the stat (or a short read): read on
            parts = [data]
            total = len(data)
            while total <= max_size:
                chunk = os.read(fd, max_size + 1 - total)
                if not chunk:
                    break
                parts.append(chunk)
                total += len(chunk)
            data = b"".join(parts)
    except IsADirectoryError:
        return InputProblem("MW003", "is a directory, not a file")
    except OSError as e:
        return InputProblem("MW003", f"cannot read file: {e.strerror or e}")
    finally:
        os.close(fd)
    if len(data) > max_size:
        return _size_problem(len(data), max_size)
    if not force and _unconcerned(data) and not is_rendered_any(display):
        return None  # the pre-filter, before any other call: most files of a tree
    return read_bytes(data, display, max_size, force=force or is_rendered_any(display))


# The first bytes of every byte-order mark: a file starting with none of them is UTF-8 or
# nothing mwlint reads.
_BOM_STARTS = frozenset(bom[0] for bom, _enc in _BOMS)


def _unconcerned(data: bytes) -> bool:
    """No byte-order mark and no marker of either family (nor the piece a misspelt key
    most likely keeps): a file the pre-filter skips undecoded. (``deployment_server::``
    is part of the deploy-service marker: one search covers both.)"""
    return (not data or data[0] not in _BOM_STARTS) and _NEAR_MARKER_BYTES not in data \
        and _MARKER_BYTES not in data


def read_bytes(data: bytes, display: str, max_size: int, force: bool = False) -> Outcome:
    if len(data) > max_size:
        return _size_problem(len(data), max_size)
    if not force and _unconcerned(data):
        return None  # most files of a hieradata tree: no BOM and no key of any family
    encoding = "utf-8"
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding = enc
            data = data[len(bom):]
            break
    if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
        if not force:
            decoded = data.decode(encoding, "replace")
            if DEPLOYMENTS_MARKER not in decoded and SERVICE_MARKER not in decoded:
                if NEAR_MARKER not in decoded or not has_near_key(decoded):
                    return None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            return InputProblem(
                "MW003",
                f"not valid {encoding.upper()} after its byte-order mark ({e.reason} at byte "
                f"{e.start})",
                help="re-encode the file as UTF-8, which hiera reads",
            )
        if "\0" in text:
            return _nul_problem(text.index("\0"), text)
    else:
        if not force and _MARKER_BYTES not in data and _SERVICE_MARKER_BYTES not in data:
            if _NEAR_MARKER_BYTES not in data or not _near(data):
                return None
        nul = data.find(b"\0")
        if nul >= 0:
            return _nul_problem(nul, data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
            return InputProblem(
                "MW003",
                f"not UTF-8: byte 0x{data[e.start]:02x} at offset {e.start} cannot be decoded "
                f"({e.reason})",
                line,
                col,
                help="re-encode the file as UTF-8, the only encoding hiera and scap read",
            )
    deep = too_deep(text)
    if deep:
        msg, line, col = deep
        return InputProblem("MW001", msg, line, col)
    return SourceText(display, text)


def _near(data: bytes) -> bool:
    """A file with ``deployment_server::`` but no key of either family: read on only when
    one of its keys is close to a known one (MW007)."""
    return has_near_key(data.decode("utf-8", "replace"))


def _nul_problem(index: int, data: Union[str, bytes]) -> InputProblem:
    if isinstance(data, bytes):
        line = data.count(b"\n", 0, index) + 1
        col = index - (data.rfind(b"\n", 0, index) + 1) + 1
    else:
        line = data.count("\n", 0, index) + 1
        col = index - (data.rfind("\n", 0, index) + 1) + 1
    return InputProblem(
        "MW003",
        "binary content: NUL byte at offset %d; a hiera file must be UTF-8 text" % index,
        line,
        col,
    )

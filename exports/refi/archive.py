"""Reading untrusted REFI-QDA files safely: a bounded zip reader and a DTD-free XML parser.

Nothing is extracted to disk. Every member name is checked before anything is
read (no `..`, no absolute or drive paths, no links, no duplicates, no
encryption), declared sizes and compression ratios are checked against bounds,
and reads are bounded again while decompressing, since a zip can lie about its sizes. XML is parsed
with `defusedxml`, which refuses a DTD, entity declarations and external
references outright. Every refusal is a `RefiError` naming the file.
"""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from exports.refi import RefiError

# Bounds (module attributes, read at call time). Real projects sit far below them: a
# day-long transcript is a few MB of text, a project.qde with 20,000 codings ~10 MB.
MAX_MEMBERS = 20_000
MAX_DECLARED_TOTAL = 4 * 1024**3  # all members together, as the archive declares them
MAX_XML_BYTES = 256 * 1024**2  # project.qde or a .qdc, decompressed
MAX_SOURCE_BYTES = 256 * 1024**2  # one source text, decompressed
MAX_READ_TOTAL = 1024**3  # everything actually read from one archive
# Text deflates 3–10 fold; a member inflating more than MAX_RATIO fold is a bomb (250 KB
# becoming 240 MB of text to analyse), refused from its declared sizes before any read.
# Members under RATIO_FLOOR are too small to matter. Reads stop at the declared size.
MAX_RATIO = 100
RATIO_FLOOR = 1024**2
_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


class SafeArchive:
    """A zip opened for bounded, in-memory reading of members by name."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise RefiError("no such file", self.path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except Exception as exc:  # zipfile raises many types on hostile bytes (NotImplemented…)
            raise RefiError(
                f"not a REFI-QDA project (.qdpx is a zip archive; this file is not one: {exc})",
                self.path,
            ) from None
        try:
            self._members = self._check_members()
        except BaseException:
            self._zip.close()
            raise
        self._read_total = 0

    def _check_members(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise RefiError(
                f"the archive has {len(infos)} members (at most {MAX_MEMBERS})", self.path
            )
        members: dict[str, zipfile.ZipInfo] = {}
        declared = 0
        for info in infos:
            name = info.filename
            clean = name.replace("\\", "/")
            parts = clean.split("/")
            if "\x00" in name or clean.startswith("/") or _DRIVE.match(clean) or ".." in parts:
                raise RefiError(
                    f"archive member {name!r} points outside the archive; the file is refused",
                    self.path,
                )
            if info.flag_bits & 0x1:
                raise RefiError(f"archive member {name!r} is encrypted", self.path)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise RefiError(f"archive member {name!r} is a symbolic link", self.path)
            if clean in members:
                raise RefiError(f"archive member {name!r} appears twice", self.path)
            if info.file_size < 0 or info.compress_size < 0:
                raise RefiError(f"archive member {name!r} has an impossible size", self.path)
            if info.file_size > max(RATIO_FLOOR, MAX_RATIO * info.compress_size):
                raise RefiError(
                    f"archive member {name!r} would inflate from {_size(info.compress_size)} "
                    f"to {_size(info.file_size)} (a zip bomb?); the file is refused",
                    self.path,
                )
            declared += info.file_size
            if declared > MAX_DECLARED_TOTAL:
                raise RefiError(
                    f"the archive declares more than {_size(MAX_DECLARED_TOTAL)} of content "
                    "(a zip bomb?); the file is refused",
                    self.path,
                )
            members[clean] = info
        return members

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        return list(self._members)

    def has(self, name: str) -> bool:
        return name in self._members

    def size(self, name: str) -> int:
        return self._members[name].file_size

    def read(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes, refusing it (and so the file) past `limit` bytes decompressed."""
        limit = MAX_SOURCE_BYTES if limit is None else limit
        info = self._members[name]
        if info.file_size > limit:
            raise RefiError(
                f"archive member {name!r} is {_size(info.file_size)}, more than the "
                f"{_size(limit)} allowed; the file is refused",
                self.path,
            )
        chunks, got = [], 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    got += len(chunk)
                    self._read_total += len(chunk)
                    if got > limit or got > info.file_size:
                        raise RefiError(
                            f"archive member {name!r} decompresses past its declared size "
                            "(a zip bomb?); the file is refused",
                            self.path,
                        )
                    if self._read_total > MAX_READ_TOTAL:
                        raise RefiError(
                            f"the archive decompresses to more than {_size(MAX_READ_TOTAL)}; "
                            "the file is refused",
                            self.path,
                        )
                    chunks.append(chunk)
        except RefiError:
            raise
        except Exception as exc:  # zipfile, zlib, bz2 and lzma each raise their own
            raise RefiError(
                f"archive member {name!r} cannot be read ({type(exc).__name__}: {exc})", self.path
            ) from None
        return b"".join(chunks)


def read_bounded_file(path: str | Path, limit: int | None = None) -> bytes:
    """A plain file's bytes (a .qdc), refused past `limit` bytes."""
    limit = MAX_XML_BYTES if limit is None else limit
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise RefiError(f"cannot read the file ({exc.strerror or exc})", path) from None
    if len(data) > limit:
        raise RefiError(f"the file is larger than {_size(limit)}; refused", path)
    return data


def parse_xml(data: bytes, path: str | Path, what: str = "") -> Element:
    """Parse untrusted XML: a DTD, an entity declaration or an external reference refuses it."""
    where = f" ({what})" if what else ""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise RefiError(
            f"the XML{where} declares a DTD, entities or external references, which are "
            f"not allowed in REFI-QDA files ({type(exc).__name__}); the file is refused",
            path,
        ) from None
    except SafeET.ParseError as exc:
        raise RefiError(f"malformed XML{where}: {exc}", path) from None
    except Exception as exc:  # expat: unknown or multi-byte encodings, and the like
        raise RefiError(f"unreadable XML{where}: {exc}", path) from None


def local_name(tag: Any) -> str:
    """An element's name without its namespace (tools differ in namespacing)."""
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local_name(child.tag) == name]


def child(element: Element, name: str) -> Element | None:
    for found in element:
        if local_name(found.tag) == name:
            return found
    return None


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:.0f} {unit}"
    return f"{count} bytes"

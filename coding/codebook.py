"""The codebook as plain data: a tree of themes and codes, addressed by path.

A path is the names from the top joined by `/` ("Safety/Growing sense of safety").
A `/` or `\\` inside a name is escaped with a backslash so every path names one code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

from coding.errors import StudyError

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
CODE_FIELDS = ("definition", "inclusion", "exclusion", "example", "color", "shortcut", "codable")


@dataclass(frozen=True)
class CodeSpec:
    """A theme or code to create: from the default codebook, a CSV or a REFI-QDA codebook."""

    name: str
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    color: str | None = None
    shortcut: str | None = None
    codable: bool = True
    uuid: str | None = None
    children: tuple[CodeSpec, ...] = ()


@dataclass(eq=False)
class Code:
    """A stored theme or code, with its place in the tree."""

    id: int
    uuid: str
    name: str
    path: str
    parent_id: int | None
    position: int
    definition: str
    inclusion: str
    exclusion: str
    example: str
    color: str
    shortcut: str | None
    codable: bool
    depth: int = 0
    children: list[Code] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.uuid,
            "name": self.name,
            "path": self.path,
            "definition": self.definition,
            "inclusion": self.inclusion,
            "exclusion": self.exclusion,
            "example": self.example,
            "color": self.color,
            "shortcut": self.shortcut,
            "codable": self.codable,
            "children": [child.to_json() for child in self.children],
        }


class Codebook:
    """A loaded codebook: the tree plus lookups by id, uuid and path."""

    def __init__(self, roots: list[Code]) -> None:
        self.roots = roots
        self.by_id: dict[int, Code] = {code.id: code for code in self.walk()}
        self.by_uuid: dict[str, Code] = {code.uuid: code for code in self.by_id.values()}
        self.by_path: dict[str, Code] = {code.path: code for code in self.by_id.values()}

    def walk(self) -> Iterator[Code]:
        """Every code in codebook order (depth first, siblings by position)."""
        stack = list(reversed(self.roots))
        while stack:
            code = stack.pop()
            yield code
            stack.extend(reversed(code.children))

    def __len__(self) -> int:
        return len(self.by_id)

    def applicable(self) -> list[Code]:
        """Codes a coder can apply, in codebook order."""
        return [code for code in self.walk() if code.codable]

    def find(self, path: str) -> Code:
        """The code at `path`; exact match first, then a unique case-insensitive one."""
        path = path.strip().strip("/")
        if path in self.by_path:
            return self.by_path[path]
        folded = [code for p, code in self.by_path.items() if p.casefold() == path.casefold()]
        if len(folded) == 1:
            return folded[0]
        hint = get_close_matches(path, list(self.by_path), n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        raise StudyError(
            f"unknown code path {path!r}{suggestion} (list codes with `ipr-workbench codebook`)"
        )

    def descendants(self, code: Code, include_self: bool = True) -> list[Code]:
        found = [code] if include_self else []
        stack = list(reversed(code.children))
        while stack:
            child = stack.pop()
            found.append(child)
            stack.extend(reversed(child.children))
        return found

    def ancestors(self, code: Code) -> list[Code]:
        """The chain of parents from the top down to (not including) `code`."""
        chain = []
        parent_id = code.parent_id
        while parent_id is not None:
            parent = self.by_id[parent_id]
            chain.append(parent)
            parent_id = parent.parent_id
        return list(reversed(chain))

    def theme_of(self, code: Code) -> Code:
        """The top-level theme a code belongs to (itself when it is top-level)."""
        ancestors = self.ancestors(code)
        return ancestors[0] if ancestors else code

    def to_json(self) -> list[dict[str, Any]]:
        return [root.to_json() for root in self.roots]

    def to_specs(self) -> list[CodeSpec]:
        """The tree as specs (with uuids), for export or copying into another study."""

        def spec(code: Code) -> CodeSpec:
            return CodeSpec(
                name=code.name,
                definition=code.definition,
                inclusion=code.inclusion,
                exclusion=code.exclusion,
                example=code.example,
                color=code.color,
                shortcut=code.shortcut,
                codable=code.codable,
                uuid=code.uuid,
                children=tuple(spec(child) for child in code.children),
            )

        return [spec(root) for root in self.roots]


def escape_name(name: str) -> str:
    return name.replace("\\", "\\\\").replace("/", "\\/")


def join_path(names: Sequence[str]) -> str:
    return "/".join(escape_name(name) for name in names)


def split_path(path: str) -> list[str]:
    """Names of a path, honouring `\\/` and `\\\\` escapes."""
    names, current, chars = [], [], iter(path)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == "/":
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    return [name.strip() for name in names if name.strip()]


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise StudyError("a code needs a name")
    if len(name) > 200:
        raise StudyError(f"code name {name[:40]!r}… is longer than 200 characters")
    return name


def check_color(color: str) -> str:
    if not _COLOR.match(color):
        raise StudyError(f"colour {color!r} is not of the form #RRGGBB")
    return color.upper()

"""Codebooks as CSV: one row per theme or code, parents before children, by path.

Columns: path, definition, inclusion, exclusion, example, color, shortcut,
codable, id. Only `path` is required; a missing parent is created as a theme.
An `id` is a GUID in any 8-4-4-4-12 hex spelling (braces allowed), stored lower
case without braces so it matches the same code in REFI-QDA files.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from coding.codebook import Codebook, CodeSpec, split_path
from coding.csv_rows import read_csv_file
from coding.errors import StudyError

COLUMNS = (
    "path", "definition", "inclusion", "exclusion", "example", "color", "shortcut", "codable", "id",
)
_TRUE = {"1", "true", "yes", "y", "x"}
_FALSE = {"0", "false", "no", "n"}
_GUID = re.compile(r"^(\{)?([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})(?(1)\})$")


def write_codebook_csv(codebook: Codebook, path: Path) -> None:
    """Write with a UTF-8 BOM so Excel shows accents correctly."""
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for code in codebook.walk():
            writer.writerow([
                code.path, code.definition, code.inclusion, code.exclusion, code.example,
                code.color, code.shortcut or "", "yes" if code.codable else "no", code.uuid,
            ])


def read_codebook_csv(path: Path) -> list[CodeSpec]:
    """Parse a codebook CSV into a tree of specs; errors name the file and line."""
    tree: dict[tuple[str, ...], dict] = {}
    roots: list[tuple[str, ...]] = []
    for line, row in read_csv_file(path, ("path",)):
        names = tuple(split_path(row.get("path") or ""))
        if not names:
            raise StudyError(f"{path}, line {line}: empty code path")
        for depth in range(1, len(names) + 1):
            key = names[:depth]
            if key not in tree:
                tree[key] = {"name": names[depth - 1], "codable": False, "children": []}
                (tree[key[:-1]]["children"] if depth > 1 else roots).append(key)
        node = tree[names]
        codable = (row.get("codable") or "yes").strip().lower() or "yes"
        if codable not in _TRUE | _FALSE:
            raise StudyError(f"{path}, line {line}: codable must be yes or no, not {codable!r}")
        node["codable"] = codable in _TRUE
        for column in ("definition", "inclusion", "exclusion", "example"):
            node[column] = (row.get(column) or "").strip()
        node["color"] = (row.get("color") or "").strip() or None
        node["shortcut"] = (row.get("shortcut") or "").strip() or None
        node["uuid"] = _guid(row.get("id") or "", f"{path}, line {line}")

    def spec(key: tuple[str, ...]) -> CodeSpec:
        node = dict(tree[key])
        children = tuple(spec(child) for child in node.pop("children"))
        return CodeSpec(**node, children=children)

    return [spec(key) for key in roots]


def _guid(value: str, where: str) -> str | None:
    """The id in canonical form (lower case, no braces); None when the cell is empty."""
    value = value.strip()
    if not value:
        return None
    match = _GUID.match(value)
    if match is None:
        raise StudyError(f"{where}: id {value!r} is not a GUID (8-4-4-4-12 hexadecimal digits)")
    return match.group(2).lower()

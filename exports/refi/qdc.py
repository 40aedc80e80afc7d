"""REFI-QDA codebooks: `<CodeBook><Codes><Code …>` to and from `CodeSpec` trees.

The same `Codes` element sits inside a project (`project.qde`) and at the root of
a `.qdc` file, so the project reader and writer use these functions too.

A code's `Description` carries our definition, then the inclusion and exclusion
criteria, example and shortcut as labelled paragraphs ("Inclusion: …"), which
other tools show as the code's memo and which read back into the same fields.
Themes are written with `isCodable="false"`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET

from coding.codebook import Codebook, CodeSpec, join_path
from coding.merge import free_name
from exports.refi import CODEBOOK_NS, RefiError
from exports.refi.archive import child, children, local_name, parse_xml, read_bounded_file
from exports.refi.guids import derived_guid, normalise_guid
from exports.refi.output import write_atomically, xml_text

MAX_DEPTH = 64  # deeper nesting than any real codebook; a hostile file stops here
MAX_NAME = 200  # the study's limit on code names
_SECTIONS = (
    ("inclusion", "Inclusion"),
    ("exclusion", "Exclusion"),
    ("example", "Example"),
    ("shortcut", "Shortcut"),
)
_LABELS = {label: field for field, label in _SECTIONS}
_LABELLED = re.compile(r"^(Inclusion|Exclusion|Example|Shortcut): ?(.*)$", re.DOTALL)
# A paragraph inside a field that reads like a label ("Example: …" in a definition) is
# written with one more leading backslash, and read back with one less, so it stays put.
_LOOKS_LABELLED = re.compile(r"^(\s*)(\\*(?:Inclusion|Exclusion|Example|Shortcut):)")
_ESCAPED = re.compile(r"^(\s*)\\(\\*(?:Inclusion|Exclusion|Example|Shortcut):)")
_RGB = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")


# -- descriptions -------------------------------------------------------------


def describe(spec: CodeSpec) -> str:
    """A code's definition and criteria as one Description text."""
    parts = [_escape(spec.definition.strip())] if spec.definition.strip() else []
    for field, label in _SECTIONS:
        value = (getattr(spec, field) or "").strip()
        if value:
            parts.append(f"{label}: {_escape(value)}")
    return "\n\n".join(parts)


def _escape(value: str) -> str:
    return "\n\n".join(_LOOKS_LABELLED.sub(r"\1\\\2", part) for part in value.split("\n\n"))


def _unescape(paragraph: str) -> str:
    return _ESCAPED.sub(r"\1\2", paragraph)


def read_description(text: str | None) -> dict[str, str]:
    """The fields `describe` wrote; text without labelled paragraphs is all definition."""
    fields = {"definition": ""}
    current = "definition"
    for paragraph in (text or "").replace("\r\n", "\n").split("\n\n"):
        labelled = _LABELLED.match(paragraph.strip())
        if labelled and labelled.group(1) in _LABELS:
            current = _LABELS[labelled.group(1)]
            fields[current] = _unescape(labelled.group(2))
        elif fields.get(current):
            fields[current] += "\n\n" + _unescape(paragraph)
        else:
            fields[current] = _unescape(paragraph)
    return {name: value.strip() for name, value in fields.items()}


def normalise_color(value: str | None) -> str | None:
    """`#RRGGBB` upper case from `#RGB` or `#rrggbb`; None for anything else."""
    if value is None or not _RGB.match(value.strip()):
        return None
    digits = value.strip()[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits.upper()


# -- reading ----------------------------------------------------------------


class CodesReader:
    """Reads `Code` elements into specs, checking GUIDs, names and depth.

    Problems a code can have on its own (no GUID, an empty or overlong name) are
    repaired and reported through `warn`, and so are sibling codes of one name (NVivo
    allows them; a study tells codes apart by path, so the later ones get a number);
    a GUID used twice refuses the file, as codings could not tell the two codes apart.
    """

    def __init__(self, path: str | Path, warn: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.warn = warn or (lambda message: None)
        self.seen: set[str] = set()

    def read(self, codes: ET.Element | None) -> list[CodeSpec]:
        if codes is None:
            return []
        return self._siblings(children(codes, "Code"), [], 1)

    def _siblings(self, elements: list[ET.Element], names: list[str], depth: int
                  ) -> list[CodeSpec]:
        """The codes under one parent (`names` is its path), each under a name of its own."""
        own = self._distinct([self._name(element, names) for element in elements], names)
        return [
            self._code(element, name, names, depth)
            for element, name in zip(elements, own, strict=True)
        ]

    def _name(self, element: ET.Element, names: list[str]) -> str:
        name = " ".join((element.get("name") or "").split())
        if not name:
            name = "(unnamed code)"
            self.warn(f"a code without a name under {join_path(names) or 'the top'!r} "
                      f"was named {name!r}")
        if len(name) > MAX_NAME:
            self.warn(f"code name {name[:40]!r}… was cut to {MAX_NAME} characters")
            name = name[:MAX_NAME].rstrip()
        return name

    def _distinct(self, siblings: list[str], names: list[str]) -> list[str]:
        """Sibling names made unique: a repeated name gets the first free number."""
        taken, seen, result = set(siblings), set(), []
        parent = f"under {join_path(names)!r}" if names else "at the top level"
        for name in siblings:
            if name in seen:
                own = free_name(name, taken, limit=MAX_NAME, fold=False)
                self.warn(f"codes {parent} share the name {name!r}; one came in as {own!r} "
                          "(rename it in the codebook as you like)")
                taken.add(own)
                name = own
            seen.add(name)
            result.append(name)
        return result

    def _code(self, element: ET.Element, name: str, names: list[str], depth: int
              ) -> CodeSpec:
        if depth > MAX_DEPTH:
            raise RefiError(f"the codebook is nested more than {MAX_DEPTH} levels deep", self.path)
        path = [*names, name]
        guid = normalise_guid(element.get("guid"))
        if guid is None:
            guid = derived_guid("code", join_path(path))
            self.warn(f"code {join_path(path)!r} has no valid GUID "
                      f"({element.get('guid')!r}); it was given {guid}")
        if guid in self.seen:
            raise RefiError(f"two codes share the GUID {guid} (one is {join_path(path)!r})",
                            self.path)
        self.seen.add(guid)
        description = child(element, "Description")
        fields = read_description(description.text if description is not None else "")
        codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
        return CodeSpec(
            name=name,
            definition=fields.get("definition", ""),
            inclusion=fields.get("inclusion", ""),
            exclusion=fields.get("exclusion", ""),
            example=fields.get("example", ""),
            shortcut=fields.get("shortcut") or None,
            color=normalise_color(element.get("color")),
            codable=codable,
            uuid=guid,
            children=tuple(self._siblings(children(element, "Code"), path, depth + 1)),
        )


def read_qdc(path: str | Path, warn: Callable[[str], None] | None = None) -> list[CodeSpec]:
    """The codebook of a `.qdc` file (or of a `project.qde`) as a tree of specs.

    What was repaired on the way in (a nameless code, twin sibling names …) goes to `warn`.
    """
    root = parse_xml(read_bounded_file(path), path)
    name = local_name(root.tag)
    if name == "Project":
        root = child(root, "CodeBook")
        if root is None:
            raise RefiError("the project has no codebook", path)
    elif name != "CodeBook":
        raise RefiError(f"not a REFI-QDA codebook (the root element is <{name}>)", path)
    codes = child(root, "Codes")
    specs = CodesReader(path, warn).read(codes)
    if not specs:
        raise RefiError("the codebook holds no codes", path)
    return specs


# -- writing ------------------------------------------------------------------


def add_codes(parent: ET.Element, specs: Sequence[CodeSpec]) -> ET.Element:
    """Append `<Codes>` with the tree of specs (which must carry uuids) to `parent`.

    Elements are written unqualified under a root that declares the default
    namespace (`xmlns=…`), which ElementTree cannot combine with unqualified
    attributes otherwise.
    """
    codes = ET.SubElement(parent, "Codes")
    for spec in specs:
        _add_code(codes, spec, [])
    return codes


def _add_code(parent: ET.Element, spec: CodeSpec, names: list[str]) -> None:
    path = [*names, spec.name]
    attributes = {
        "guid": spec.uuid or derived_guid("code", join_path(path)),
        "name": xml_text(spec.name),
        "isCodable": "true" if spec.codable else "false",
    }
    if spec.color:
        attributes["color"] = spec.color
    element = ET.SubElement(parent, "Code", attributes)
    text = describe(spec)
    if text:
        ET.SubElement(element, "Description").text = xml_text(text)
    for sub in spec.children:
        _add_code(element, sub, path)


def codebook_specs(codebook: Codebook | Sequence[CodeSpec]) -> list[CodeSpec]:
    return codebook.to_specs() if isinstance(codebook, Codebook) else list(codebook)


def qdc_bytes(codebook: Codebook | Sequence[CodeSpec]) -> bytes:
    """The `.qdc` document for a codebook."""
    specs = codebook_specs(codebook)
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": origin()})
    add_codes(root, specs)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_qdc(codebook: Codebook | Sequence[CodeSpec], path: str | Path) -> None:
    """Write the codebook as a REFI-QDA `.qdc` file (namespace `urn:QDA-XML:codebook:1.0`)."""
    specs = codebook_specs(codebook)
    if not specs:
        raise RefiError("the codebook is empty; a .qdc file needs at least one code", path)
    data = qdc_bytes(specs)

    def write(stream: IO[bytes]) -> None:
        stream.write(data)

    write_atomically(path, write)


def origin() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"IPR Workbench {version('ipr-workbench')}"
    except PackageNotFoundError:
        return "IPR Workbench"

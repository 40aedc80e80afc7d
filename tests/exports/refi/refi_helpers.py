"""Building REFI-QDA files by hand for tests: projects, sources and hostile archives."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import xmlschema

HERE = Path(__file__).parent
XSD = HERE / "REFI-QDA-Project.xsd"
QC_TOOL = HERE / "qc-tool_demo.qdpx"
NVIVO = HERE / "nvivo_project.qdpx"
NS = "urn:QDA-XML:project:1.0"

USER = "11111111-1111-4111-8111-111111111111"
CODE_A = "aaaaaaaa-0000-4000-8000-000000000001"
CODE_B = "aaaaaaaa-0000-4000-8000-000000000002"
SOURCE = "5a5a5a5a-0000-4000-8000-000000000001"

_schema: xmlschema.XMLSchema | None = None


def schema() -> xmlschema.XMLSchema:
    global _schema
    if _schema is None:
        _schema = xmlschema.XMLSchema(str(XSD))
    return _schema


def guid(n: int, prefix: str = "code") -> str:
    """A stable GUID per (prefix, n)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{prefix}:{n}"))


def selection(start: int, end: int, code: str = CODE_A, user: str | None = USER,
              sel_guid: str | None = None, coding_guid: str | None = None,
              extra: str = "", user_on_selection: bool = False) -> str:
    sel_guid = sel_guid or guid(start * 100_000 + end, "selection")
    coding_guid = coding_guid or guid(start * 100_000 + end, "coding")
    coding_user = "" if user is None or user_on_selection else f' creatingUser="{user}"'
    sel_user = f' creatingUser="{user}"' if user and user_on_selection else ""
    return (
        f'<PlainTextSelection guid="{sel_guid}" startPosition="{start}" endPosition="{end}"'
        f'{sel_user}><Coding guid="{coding_guid}"{coding_user}>'
        f'<CodeRef targetGUID="{code}"/></Coding>{extra}</PlainTextSelection>'
    )


def text_source(body: str = "", name: str | None = "Interview 1", guid_: str = SOURCE,
                path: str | None = None, extra_attrs: str = "") -> str:
    name_attr = f" name={quoteattr(name)}" if name is not None else ""
    path = path if path is not None else f"internal://{guid_}.txt"
    return (f'<TextSource guid="{guid_}"{name_attr} plainTextPath={quoteattr(path)}'
            f'{extra_attrs}>{body}</TextSource>')


def project_xml(sources: str = "", *, users: str | None = None, codes: str | None = None,
                extra: str = "", notes: str = "", declaration: bool = True) -> str:
    if users is None:
        users = f'<Users><User guid="{USER}" name="Alice"/></Users>'
    if codes is None:
        codes = (f'<CodeBook><Codes><Code guid="{CODE_A}" name="Fear" isCodable="true">'
                 f'<Code guid="{CODE_B}" name="Shame" isCodable="true"/></Code>'
                 f"</Codes></CodeBook>")
    head = '<?xml version="1.0" encoding="utf-8"?>' if declaration else ""
    sources_xml = f"<Sources>{sources}</Sources>" if sources else ""
    return (f'{head}<Project xmlns="{NS}" name="Hand made">{users}{codes}{extra}'
            f"{sources_xml}{notes}</Project>")


def make_qdpx(path: Path, project: str | bytes | None, members: dict[str, bytes | str] | None
              = None) -> Path:
    """A .qdpx zip with `project.qde` (unless None) and other members as given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if project is not None:
            archive.writestr("project.qde",
                             project.encode("utf-8") if isinstance(project, str) else project)
        for name, data in (members or {}).items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def simple_qdpx(path: Path, text: str, selections: str = "", *, encoding: str = "utf-8",
                raw: bytes | None = None, **project_kwargs) -> Path:
    """One source holding `text` with the given selections."""
    data = raw if raw is not None else text.encode(encoding)
    return make_qdpx(path, project_xml(text_source(selections), **project_kwargs),
                     {f"sources/{SOURCE}.txt": data})


def note(guid_: str, text: str) -> str:
    return (f'<Note guid="{guid_}" name="memo"><PlainTextContent>{escape(text)}'
            "</PlainTextContent></Note>")

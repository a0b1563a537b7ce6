"""The text of a Word document (.docx), for the job-ad scan; other document formats refused.

Job ads are often written in Word. A ``.docx`` file is a zip archive whose ``word/document.xml``
holds the text in ``<w:t>`` runs inside ``<w:p>`` paragraphs: read with the standard library
(:mod:`zipfile`, :mod:`xml.etree.ElementTree`), one line per paragraph (table cells and list
items are paragraphs too), tabs and line breaks kept, so the scan sees the ad's headers and
bullet lists as lines. Only that part is read, and only up to :data:`MAX_XML_BYTES`
uncompressed (a zip can claim anything). A PDF or an old binary ``.doc`` is refused with what
to do instead: their text needs a converter fairhire does not carry.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from .errors import CLIError

__all__ = ["MAX_XML_BYTES", "document_kind", "docx_text", "refused"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: The largest ``word/document.xml`` read (uncompressed): far above any job ad.
MAX_XML_BYTES = 50_000_000


def document_kind(data: bytes) -> str | None:
    """"docx", "pdf", "doc" (old binary Word) or None, from the file's first bytes.

    >>> document_kind(b"%PDF-1.7 ..."), document_kind(b"We are hiring"), document_kind(b"")
    ('pdf', None, None)
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: .doc, .xls
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "docx" if "word/document.xml" in z.namelist() else None
        except zipfile.BadZipFile:
            return None
    return None


def docx_text(data: bytes, name: str) -> str:
    """The text of a ``.docx`` file: one line per paragraph.

    >>> import io, zipfile
    >>> xml = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
    ...        '2006/main"><w:body><w:p><w:r><w:t>Role</w:t></w:r></w:p><w:p><w:r>'
    ...        '<w:t xml:space="preserve">We are </w:t></w:r><w:r><w:t>hiring.</w:t></w:r>'
    ...        '</w:p></w:body></w:document>')
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("word/document.xml", xml)
    >>> docx_text(buf.getvalue(), "ad.docx")
    'Role\\nWe are hiring.'
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            info = z.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                raise CLIError(f"{name}: the document's text part is {info.file_size:,} bytes, "
                               "more than a job ad holds; save the ad as a .txt file.")
            root = ElementTree.fromstring(z.read(info))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise CLIError(f"{name} could not be read as a Word document ({exc}); open it in Word "
                       "and save it again, or save the ad as a .txt file.") from None
    lines = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t":
                parts.append(node.text or "")
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines).strip("\n")


def refused(kind: str, name: str) -> CLIError:
    """The error for a document fairhire does not read."""
    what = "a PDF" if kind == "pdf" else "an old Word document (.doc)"
    return CLIError(f"{name} is {what}: fairhire reads job ads as text, .docx or HTML. Save it "
                    "as .docx or .txt (in Word: File > Save As), or copy its text into a .txt "
                    "file.")

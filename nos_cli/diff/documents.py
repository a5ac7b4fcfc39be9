"""Text out of the files trainers have: Word (.docx) and PDF, through well-kept libraries installed with the
``docs`` extra (``pip install "nos-cli[docs]"``: python-docx and pypdf), and plain text saved on Windows.

Each returns the document as lines of text, one paragraph (Word) or one layout line (PDF) a line, so the text
reader (nos_cli.diff.role) finds list items, labels and sentences as in any text file. List paragraphs in
Word become "- " items, so a bullet list stays one statement an item.
"""

from __future__ import annotations

from pathlib import Path

from nos_cli.errors import NosError

EXTRA = 'pip install "nos-cli[docs]"'
#: Text encodings tried in order for a file that is not UTF-8: Windows' Western European code page first (it
#: is what Notepad and Word's "plain text" wrote for years), then Latin-1, which can decode any byte.
FALLBACK_ENCODINGS = ("cp1252", "latin-1")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding used): UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, else
    cp1252, else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise NosError(f"{name}: not valid UTF-16 text (byte offset {exc.start})") from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def docx_text(path: Path) -> str:
    """The paragraphs of a Word document, body and tables in document order."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:
        raise NosError(f"{path}: reading Word files needs the docs extra: {EXTRA}") from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zip, XML and its own errors: all mean "not a .docx"
        raise NosError(f"{path}: not a Word (.docx) file nos can read ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []

    def paragraph(p: Paragraph) -> None:
        text = " ".join(p.text.split())
        if not text:
            lines.append("")
            return
        style = (p.style.name if p.style is not None else "") or ""
        numbered = p._p.pPr is not None and p._p.pPr.numPr is not None
        if style.startswith("List") or numbered:
            lines.append(f"- {text}")
        elif style.startswith(("Heading", "Title")):
            lines.extend(["", f"# {text}", ""])
        else:
            lines.append(text)

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        paragraph(p)
                lines.append("")
        else:
            paragraph(block)
    return "\n".join(lines) + "\n"


def pdf_text(path: Path) -> str:
    """The text of a PDF's pages, in reading order as pypdf extracts it (a PDF without a text layer, such as a
    scan, has none)."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:
        raise NosError(f"{path}: reading PDF files needs the docs extra: {EXTRA}") from None
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd but readable files are noise here
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise NosError(f"{path}: the PDF is encrypted; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except NosError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise NosError(f"{path}: not a PDF file nos can read ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise NosError(f"{path}: the PDF has no text layer (a scan?); nos cannot read its words")
    return text + "\n"

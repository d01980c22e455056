"""A document's text, and its sentences with their offsets.

Plain text and Markdown are read as they are; HTML through the standard library's parser
(scripts and styles dropped, blocks on lines of their own); PDF through pypdf, imported only
for a PDF (``pip install 'policyq[pdf]'``). Offsets and quotes refer to the text returned
here: for plain text and Markdown that is the file itself.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from policyq.errors import UsageError

FORMATS = ("text", "markdown", "html", "pdf")
MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Document:
    name: str  # as given ('-' is stdin)
    text: str
    format: str
    title: str | None = None  # an HTML <title> or PDF title


def read(name: str) -> Document:
    """The document ``name`` names ('-' reads stdin), as text."""
    if name == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        label = "stdin"
    else:
        path = Path(name)
        if not path.exists():
            raise UsageError(f"no file '{name}'; give a text, Markdown, HTML or PDF file, or - for stdin")
        if not path.is_file():
            raise UsageError(f"'{name}' is not a regular file; give a text, Markdown, HTML or PDF file")
        try:
            with path.open("rb") as f:
                data = f.read(MAX_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"cannot read '{name}': {exc.strerror or exc}") from None
        label = name
    if len(data) > MAX_BYTES:
        raise UsageError(f"{label} is larger than {MAX_BYTES // 2**20} MB; split it first")
    return parse(label, data)


def parse(label: str, data: bytes) -> Document:
    """A document from its bytes; the format from the name, else from the content."""
    low = label.lower()
    if low.endswith(".pdf") or data.startswith(b"%PDF-"):
        return _pdf(label, data)
    text = _decode(label, data)
    if low.endswith((".html", ".htm", ".xhtml")) or re.match(r"\s*(<!doctype html|<html)", text[:200], re.I):
        return _html(label, text)
    return Document(label, text, "markdown" if low.endswith((".md", ".markdown")) else "text")


def _decode(label: str, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise UsageError(f"{label} is not text (UTF-8 or GB18030), HTML or PDF")


class _Text(HTMLParser):
    BLOCKS: ClassVar[set[str]] = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "td",
        "table",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self.BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def _html(label: str, text: str) -> Document:
    parser = _Text()
    parser.feed(text)
    parser.close()
    body = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in body.split("\n")]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    title = " ".join("".join(parser.title).split()) or None
    return Document(label, body + "\n", "html", title)


def _pdf(label: str, data: bytes) -> Document:
    try:
        import io

        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise UsageError(f"{label}: reading PDF needs pypdf; install it with: pip install 'policyq[pdf]'") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
        title = (meta.title if meta else None) or None
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{label} is not a readable PDF: {exc}") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise UsageError(f"{label}: the PDF holds no text (a scan needs OCR first)")
    return Document(label, text + "\n", "pdf", title)


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


# A sentence ends at . ! ? (then a space and a capital, a digit or a quote), at a Chinese
# full stop, exclamation or question mark, at a blank line, or at a line break that does not
# wrap a long line. Not at abbreviations,
# initials or decimals ("U. S.", "No. 3", "e.g.", "1.5").
_END = re.compile(r"(?<=[.!?])[\"”’')]*\s+(?=[\"“‘(]?[A-Z0-9\u4e00-\u9fff])|(?<=[。！？])[”’」』)）]*|\n\s*\n|\n(?=\S)")
_ABBREV = re.compile(r"(?:\b[A-Z]|\bNo|\bMr|\bMs|\bDr|\bSt|\bCo|\bInc|\bLtd|\bvs|\be\.g|\bi\.e|\betc)\.[\"”’')]*\s*$")


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` with their offsets; each ``text[start:end]`` is the sentence,
    without the blanks and unbalanced quote marks around it."""
    out: list[Sentence] = []
    start, paragraph = 0, 0
    for m in _END.finditer(text):
        if _ABBREV.search(text[max(start, m.start() - 8) : m.start()]) and "\n" not in m.group():
            continue
        if m.group() == "\n" and _wrapped(text, m.start()):
            continue  # a line break inside a hard-wrapped paragraph
        _add(out, text, start, m.start() if m.group().isspace() or "\n" in m.group() else m.end(), paragraph)
        if "\n\n" in m.group().replace(" ", "") or m.group().count("\n") >= 2:
            paragraph += 1
        start = m.end()
    _add(out, text, start, len(text), paragraph)
    return out


def _wrapped(text: str, pos: int) -> bool:
    """Whether the line ending at ``pos`` is a wrapped part of a longer paragraph: long, and
    not ended by a sentence's punctuation."""
    line = text[text.rfind("\n", 0, pos) + 1 : pos].rstrip()
    return len(line) >= 60 and line[-1:] not in '.!?。！？:：;；"”)）'


_QUOTES = "\"“”'‘’「」"


LONGEST = 800  # characters: a longer run without a sentence's end is cut at a comma or a space


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while end - start > LONGEST:  # a table flattened to text, a list without full stops
        cut = max(text.rfind(c, start, start + LONGEST) for c in ",;，；、")
        if cut <= start:
            cut = max(text.rfind(c, start, start + LONGEST) for c in " \n")
        cut = cut + 1 if cut > start else start + LONGEST
        _add_one(out, text, start, cut, paragraph)
        start = cut
    _add_one(out, text, start, end, paragraph)


def _add_one(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    piece = text[start:end]
    # a quote mark opened before the sentence or closed after it
    if piece[:1] in _QUOTES and sum(piece.count(q) for q in _QUOTES) % 2:
        start += 1
    elif piece[-1:] in _QUOTES and sum(piece.count(q) for q in _QUOTES) % 2:
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph))

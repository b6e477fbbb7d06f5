"""Bytes to text: find the files, decode them, unwrap HTML and JSON.

Nothing unclean leaves this module: text is decoded with replacement, NULs and lone
surrogates are dropped and newlines normalised, so no bad string can reach the models or
the search index (a lone surrogate breaks a whole Whoosh batch; see DESIGN.md).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

SUFFIXES = {".txt", ".text", ".html", ".htm", ".json", ".jsonl"}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
META_KEYS = ("url", "title", "source", "author", "date")


class RejectedFile(Exception):
    """A file that cannot be ingested; ``reason`` says why in words a user understands."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class RawDocument:
    """One article's text as read from a file, before any extraction."""

    path: str
    name: str
    text: str
    encoding: str = "utf-8"
    meta: dict[str, str] = field(default_factory=dict)
    from_html: bool = False
    original: str = ""  # the input as ingested when ``text`` was taken from it (HTML, JSON)

    @property
    def raw(self) -> str:
        return self.original or self.text


def find_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield ingestible files under ``paths`` (files or folders, recursed, sorted).

    A folder reached twice through symlinks is visited once, so a symlink loop ends.
    Paths that do not exist raise RejectedFile, so the caller can report them.
    """
    seen_dirs: set[str] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise RejectedFile(path, "no such file or folder")
        if path.is_file():
            yield path
            continue
        for dirpath, dirnames, filenames in os.walk(path, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add(real)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                candidate = Path(dirpath) / name
                if candidate.suffix.lower() in SUFFIXES and not name.startswith("."):
                    yield candidate


def relative_name(path: Path, roots: Iterable[str | Path]) -> str:
    """An article's identity: its path relative to the folder given to ingest (the first
    given folder that holds it), or its base name when the file itself was given.
    ``a/001.txt`` and ``b/001.txt`` under one folder are two names, never one."""
    for root in roots:
        root = Path(root)
        if root.is_dir():
            try:
                return path.relative_to(root).as_posix()
            except ValueError:
                continue
    return path.name


def clean_text(text: str) -> str:
    """Drop NULs, lone surrogates and other control characters; normalise newlines."""
    text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogates(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes, returning (text, encoding used).

    Order: BOMs, UTF-8, UTF-16 without BOM (many NULs), then charset-normalizer's best
    guess among legacy encodings, and finally cp1252 with replacement.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_utf16(data[:8192]):
        encoding = "utf-16-be" if data[0::2].count(0) > data[1::2].count(0) else "utf-16-le"
        return data.decode(encoding, "replace"), encoding
    if b"\x00" in data:
        # A few stray NULs in otherwise good text: drop them and decode again.
        return decode(data.replace(b"\x00", b""))
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding not in {"utf_8", "ascii"}:
        return str(best), best.encoding
    return data.decode("cp1252", "replace"), "cp1252"


MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF")
# Bytes that never occur in text in any encoding we read (NULs are counted apart: a few
# stray NULs in good text are dropped, not taken for a binary file).
_CONTROL_BYTES = frozenset(range(0x01, 0x09)) | frozenset(range(0x0E, 0x1B)) | {0x0B, 0x1C, 0x1D, 0x1E, 0x1F}
BINARY_SHARE = 0.05  # more control bytes (NULs included) than this in the first 8 KB: binary


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (images, PDFs, archives).

    UTF-16 (with a BOM, or NULs on every other byte) is text; otherwise a file is binary
    when it starts with a known signature or more than 5% of its first 8 KB are control
    bytes. A good text with a few NULs inside stays text (the NULs are dropped later)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False
    sample = data[:8192]
    if sample.startswith(MAGIC):
        return True
    if _looks_utf16(sample):
        return False
    suspect = sample.count(0) + sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return suspect / max(len(sample), 1) > BINARY_SHARE


def _looks_utf16(sample: bytes) -> bool:
    """Text in UTF-16 without a BOM: NULs on (nearly) every even or every odd byte."""
    half = max(len(sample) // 2, 1)
    return max(sample[0::2].count(0), sample[1::2].count(0)) / half > 0.3 and (
        min(sample[0::2].count(0), sample[1::2].count(0)) < 0.05 * half
    )


def read_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, name: str = "") -> list[RawDocument]:
    """Read one file into documents (a .jsonl file holds many). Raises RejectedFile.

    ``name`` is the article's identity (see ``relative_name``); the base name by default.
    Never reads more than ``max_bytes`` + 1 bytes, whatever the file claims its size is."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise RejectedFile(path, too_large(size, max_bytes))
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise RejectedFile(path, f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise RejectedFile(path, too_large(len(data), max_bytes, at_least=True))
    return read_bytes(data, path, name)


def too_large(size: int, limit: int, at_least: bool = False) -> str:
    return f"too large ({'over ' if at_least else ''}{size:,} bytes; the limit is {limit:,})"


def read_bytes(data: bytes, path: Path | str, name: str = "") -> list[RawDocument]:
    path = Path(path)
    name = name or path.name
    if not data.strip():
        raise RejectedFile(path, "empty file")
    if looks_binary(data):
        raise RejectedFile(path, "binary file, not text")
    text, encoding = decode(data)
    text = clean_text(text)
    if not text.strip():
        raise RejectedFile(path, "no text after decoding")
    if text.count("\ufffd") > 0.1 * len(text):
        raise RejectedFile(path, f"cannot be decoded as text (tried {encoding})")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _read_json_lines(text, path, name, encoding)
    if suffix == ".json":
        return [_document_from_object(_load_json(text, path), path, name, encoding, original=text)]
    if suffix in {".html", ".htm"} or _looks_like_html(text):
        return [_document_from_html(text, path, name, encoding, meta={})]
    return [RawDocument(path=str(path), name=name, text=text, encoding=encoding)]


def _load_json(text: str, path: Path, line: int | None = None):
    where = f" (line {line})" if line else ""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RejectedFile(path, f"invalid JSON{where}: {exc.msg} at column {exc.colno}") from exc
    except RecursionError as exc:
        # json.loads of thousands of nested brackets overflows the stack (DESIGN.md).
        raise RejectedFile(path, f"invalid JSON{where}: nested too deeply") from exc


def _read_json_lines(text: str, path: Path, name: str, encoding: str) -> list[RawDocument]:
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            obj = _load_json(line, path, number)
            documents.append(_document_from_object(obj, path, f"{name}#{number}", encoding, original=line))
    if not documents:
        raise RejectedFile(path, "no JSON objects")
    return documents


def _document_from_object(obj, path: Path, name: str, encoding: str, original: str) -> RawDocument:
    """One JSON object; ``original`` (the object's JSON as ingested) is kept as the raw
    original, so every field of the input (title, date, author, source, url) survives."""
    if not isinstance(obj, dict):
        raise RejectedFile(path, f"{name}: expected a JSON object with 'text' or 'html'")
    meta = {key: clean_text(str(obj[key])).strip() for key in META_KEYS if obj.get(key)}
    if isinstance(obj.get("text"), str) and obj["text"].strip():
        return RawDocument(str(path), name, clean_text(obj["text"]), encoding, meta, original=original)
    if isinstance(obj.get("html"), str) and obj["html"].strip():
        document = _document_from_html(clean_text(obj["html"]), path, name, encoding, meta)
        return replace(document, original=original)
    raise RejectedFile(path, f"{name}: the object has no 'text' or 'html' field")


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def _document_from_html(html: str, path: Path, name: str, encoding: str, meta: dict) -> RawDocument:
    """Main text and metadata of an HTML page through trafilatura; our own line rules
    then run on that text like on any plain page."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    found: dict[str, str] = {}
    text = ""
    if extracted is not None:
        text = extracted.text or ""
        # The page's own canonical url is "page_url": only a url given with the input
        # (a JSON field, the admin's form) is an article's identity.
        for key, attr in (("title", "title"), ("author", "author"), ("date", "date"), ("page_url", "url")):
            value = getattr(extracted, attr, None)
            if value:
                found[key] = clean_text(str(value)).strip()
        if getattr(extracted, "sitename", None):
            found["sitename"] = clean_text(extracted.sitename).strip()
    if not found.get("sitename"):
        # "<title>Headline | Valleys Voice</title>": the publication after the bar.
        title_tag = re.search(r"(?is)<title[^>]*>(.*?)</title>", html)
        parts = re.split(r"\s+[|–—]\s+", title_tag.group(1).strip()) if title_tag else []
        if len(parts) > 1 and len(parts[-1].split()) <= 5:
            from html import unescape

            found["sitename"] = clean_text(unescape(parts[-1])).strip()
    if not text.strip():
        text = _strip_tags(html)
    if not text.strip():
        raise RejectedFile(path, f"{name}: the HTML page has no readable text")
    merged = {**found, **meta}
    return RawDocument(str(path), name, clean_text(text), encoding, merged, from_html=True, original=html)


def document_from_stored(raw: str, name: str, meta: dict[str, str]) -> RawDocument:
    """A stored raw original read again, for re-extraction: a JSON object gives back all
    its fields, HTML goes through the same main-text extraction as at ingest. ``meta``
    (what the article row holds) fills only what the original does not say."""
    if _is_json_name(name) and raw.lstrip().startswith("{"):
        try:
            document = _document_from_object(_load_json(raw, Path(name)), Path(name), name, "utf-8", raw)
        except RejectedFile:
            pass  # older rows hold the extracted text only
        else:
            return replace(document, meta={**meta, **document.meta})
    if _looks_like_html(raw):
        return _document_from_html(raw, Path(name), name, "utf-8", meta)
    return RawDocument(name, name, raw, "utf-8", meta)


def _is_json_name(name: str) -> bool:
    return name.lower().endswith(".json") or ".jsonl#" in name.lower()


def _strip_tags(html: str) -> str:
    from html import unescape

    html = re.sub(r"(?is)<(script|style|nav|footer|header|aside)\b.*?</\1>", " ", html)
    html = re.sub(r"(?i)<br\s*/?>|</p>|</h\d>|</li>|</div>", "\n", html)
    return unescape(re.sub(r"<[^>]+>", " ", html))

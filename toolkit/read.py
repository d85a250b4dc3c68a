"""Read stage: bytes from a path or stdin (or a str) -> a Document with decoded, simplified text.

Encodings tried, in order: a BOM (UTF-8, UTF-16, UTF-32), strict UTF-8, then GB18030 and Big5
decoded strictly and scored by the share of common Chinese characters (GB18030 decodes almost any
byte string, so a decoding only counts when most of its Chinese characters are common ones).

NUL bytes: a few stray NULs in otherwise good text (a PDF-extraction artifact) are stripped before
decoding and counted in ``doc.meta["nul_bytes_stripped"]``; text where NULs are more than 1% of
the bytes (and there is no UTF-16/32 BOM) is rejected as binary.
"""

from __future__ import annotations

import sys
from array import array
from functools import lru_cache

from .chinese import is_cjk, looks_traditional, t2s
from .doc import Document
from .errors import BadInputError
from .files import read_input_bytes

DEFAULT_MAX_BYTES = 50_000_000

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"PK\x03\x04", "a zip archive (or an Office document)"),
    (b"PK\x05\x06", "a zip archive"),
    (b"%PDF-", "a PDF (extract its text first, e.g. with pdftotext)"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x7fELF", "an executable"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

#: a decoding whose Chinese characters are less often common than this is taken as garbage
_MIN_COMMON_SHARE = 0.6
#: how much text the traditional-vs-simplified vote looks at (the whole 20 MB is not needed)
_TRAD_SAMPLE = 200_000


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    """GB2312 level-1 characters (the 3,755 most used simplified) and Big5's frequent set (5,401)."""
    chars: set[str] = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for hi in range(0xA4, 0xC7):
        for lo in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            try:
                chars.add(bytes((hi, lo)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(c for c in chars if len(c) == 1 and is_cjk(c))


def common_share(text: str, *, sample: int = 100_000) -> float:
    """Share of the Chinese characters in (the start of) ``text`` that are common ones; 0.0 if none."""
    han = [c for c in text[:sample] if is_cjk(c)]
    if not han:
        return 0.0
    common = common_chars()
    return sum(c in common for c in han) / len(han)


def read_bytes(source: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The raw bytes of ``source`` (a path, or "-" for stdin), at most ``max_bytes``."""
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise BadInputError(f"stdin: input is larger than the {max_bytes:,}-byte limit")
        return data
    return read_input_bytes(source, what="bulletin file", limit=max_bytes)


def decode(data: bytes, *, name: str = "input") -> tuple[str, str, int]:
    """Decode ``data``; return (text, encoding name, NUL bytes stripped). Raises BadInputError."""
    if not data.strip():
        raise BadInputError(f"{name}: empty input")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BadInputError(f"{name}: binary file ({what}), not a text bulletin")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                raise BadInputError(f"{name}: bytes after the {enc} byte-order mark do not decode") from None
            return _check_text(text.replace("\x00", ""), name), enc.replace("-sig", ""), text.count("\x00")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _check_text(utf16[0], name), utf16[1], 0
    nuls = data.count(b"\x00")
    if nuls > max(2, len(data) // 100):
        raise BadInputError(f"{name}: binary file ({nuls:,} NUL bytes), not a text bulletin")
    if nuls:
        data = data.replace(b"\x00", b"")
    try:
        return _check_text(data.decode("utf-8"), name), "utf-8", nuls
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for enc in ("gb18030", "big5", "cp950"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        share = common_share(text)
        if best is None or share > best[0]:
            best = (share, enc, text)
    if best is None or best[0] < _MIN_COMMON_SHARE:
        raise BadInputError(f"{name}: undecodable bytes (not UTF-8, UTF-16, GB18030 or Big5 text)")
    enc = "big5" if best[1] == "cp950" else best[1]
    return _check_text(best[2], name), enc, nuls


def _plausible_share(text: str) -> float:
    """Share of characters that a Chinese text file is made of: Chinese, CJK punctuation, printable ASCII."""
    sample = text[:50_000]
    if not sample:
        return 0.0
    ok = sum(1 for c in sample if is_cjk(c) or " " <= c <= "~" or c in "\t\n\r" or "\u3000" <= c <= "\u303f"
             or "\uff00" <= c <= "\uffef" or "\u2010" <= c <= "\u2027")
    return ok / len(sample)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, "utf-16-le"/"utf-16-be") when ``data`` reads as UTF-16 without a byte-order mark, else None.

    Chinese UTF-16 has few NUL bytes (only its ASCII has them), so NULs alone do not tell; a decoding
    counts when it is even-length, strict, nearly all Chinese/punctuation/ASCII and its Chinese is common.
    UTF-8 or GB18030 bytes read as UTF-16 give rare CJK and private-use characters, and fail the test.
    """
    if len(data) % 2 or len(data) < 4:
        return None
    head = data[:100_000]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    # ASCII-heavy UTF-16 shows NULs on one side; pure Chinese shows none, so try both orders then
    order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    if even == odd == 0:
        try:
            data.decode("utf-8")
            return None  # valid UTF-8 wins
        except UnicodeDecodeError:
            pass
    for enc in order:
        try:
            text = head.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible_share(text) >= 0.97 and common_share(text) >= _MIN_COMMON_SHARE:
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                return None
    return None


def _check_text(text: str, name: str) -> str:
    sample = text[:100_000]
    controls = sum(1 for c in sample if c < " " and c not in "\t\n\r\f\v")
    if controls > max(2, len(sample) // 100):
        raise BadInputError(f"{name}: binary file (control characters), not a text bulletin")
    if not text.strip():
        raise BadInputError(f"{name}: empty input")
    if not any(is_cjk(c) for c in text):
        raise BadInputError(f"{name}: no Chinese text found")
    return text


def simplify(original: str) -> tuple[str, array]:
    """OpenCC t2s of ``original`` with an offset map; falls back to per-line, then per-character."""
    converted = t2s(original)
    if len(converted) == len(original):
        return converted, array("i", range(len(original)))
    parts: list[str] = []
    offsets = array("i")
    pos = 0
    for line in original.splitlines(keepends=True):
        conv = t2s(line)
        if len(conv) != len(line):
            conv = "".join(c2 if len(c2 := t2s(c)) == 1 else c for c in line)
        parts.append(conv)
        offsets.extend(range(pos, pos + len(line)))
        pos += len(line)
    return "".join(parts), offsets


def read(source: str, *, max_bytes: int = DEFAULT_MAX_BYTES, data: bytes | None = None) -> Document:
    """Read ``source`` (a path or "-") into a Document: decoded ``original``, simplified ``text``.
    ``data``: the bytes of ``source``, already read (a batch hashes them first, a cluster ships them)."""
    name = "stdin" if source == "-" else source
    if data is None:
        data = read_bytes(source, max_bytes=max_bytes)
    elif len(data) > max_bytes:
        raise BadInputError(f"{name}: input is larger than the {max_bytes:,}-byte limit")
    original, encoding, nuls = decode(data, name=name)
    return _document(original, source=source, encoding=encoding, nuls=nuls)


def read_text(text: str, *, name: str = "<text>") -> Document:
    """A Document from text already in memory (the API's ``read_document(text=...)``); same checks as
    a file, no decoding. ``name`` stands for the file name in messages and in ``doc.source``."""
    if not isinstance(text, str):
        raise TypeError(f"read_text takes str, not {type(text).__name__} (use read() for bytes on disk)")
    nuls = text.count("\x00")
    return _document(_check_text(text.replace("\x00", ""), name), source=name, encoding="str", nuls=nuls)


def _document(original: str, *, source: str, encoding: str, nuls: int) -> Document:
    """The Document for decoded text: simplified when it is traditional, with the offset map back."""
    traditional = looks_traditional(original[:_TRAD_SAMPLE])
    if traditional:
        text, offsets = simplify(original)
    else:
        text, offsets = original, array("i", range(len(original)))
    doc = Document(
        source=source,
        encoding=encoding,
        traditional=traditional,
        original=original,
        text=text,
        offsets=offsets,
    )
    if nuls:
        doc.meta["nul_bytes_stripped"] = nuls
    return doc

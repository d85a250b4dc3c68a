"""Glossary file formats: TSV (the native one), CSV, TBX-Basic and JSON.

* TSV: UTF-8, header ``zh<TAB>en<TAB>variants<TAB>category<TAB>note``, one entry a line, variants joined
  with ``|``, sorted by the code points of ``zh``; no quoting. An optional sixth column ``blocking``
  (cell ``yes`` or empty) marks blocking entries; it is written only when some entry is blocking, so a
  file without blocking entries keeps the five-column layout older readers know.
* CSV: the two-column ``source,target`` layout (no header, RFC 4180 quoting) that DeepL and Google Cloud
  Translation glossaries accept. It carries ``zh`` and ``en`` only: variants, category and note are lost
  (``variants_as_rows`` writes each variant as a row of its own, which those services then also apply).
  Blocking entries are left out: those services have no "match nothing here" row, and a row with an
  empty or made-up target would force a rendering. On import a first row of language codes (``zh,en``)
  is skipped and DeepL's 4-column rows are accepted.
* TBX: ISO 30042 TBX-Basic (``martif``/``termEntry``/``langSet``/``tig``/``term``); the canonical term is
  the ``preferredTerm-admn-sts`` one, variants are the other zh terms, category is
  ``descrip type="subjectField"``, note is ``note``; a blocking entry has ``descrip type="blocking"``
  (``yes``) and no en langSet. Also reads TBX v3 (``tbx``/``conceptEntry``/``langSec``/``termSec``).
  Parsed with defusedxml: DTD entities and external references are refused.
* JSON: ``{"format": "bulletin-glossary", "version": 1, "entries": [{zh, en, variants, category, note}]}``
  (``"blocking": true`` on blocking entries; a bare list of such objects is accepted too), one entry a line.

TSV, TBX and JSON round-trip every field; CSV round-trips ``zh`` and ``en`` of the non-blocking entries.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from pathlib import Path
from xml.sax import SAXException
from xml.sax.handler import ContentHandler
from xml.sax.saxutils import escape

import defusedxml
import defusedxml.sax

from ..atomic import write_atomic
from ..errors import GlossaryError
from ..files import read_input_bytes
from .entry import BLOCKING_COLUMN, BLOCKING_YES, COLUMNS, Entry, sort_key, split_variants, validate

FORMATS = ("tsv", "csv", "tbx", "json")
_EXTENSIONS = {".tsv": "tsv", ".tab": "tsv", ".csv": "csv", ".tbx": "tbx", ".xml": "tbx", ".json": "json"}
HEADER = "\t".join(COLUMNS)
STDIN, STDIN_NAME = "-", "<stdin>"
HEADER_BLOCKING = "\t".join((*COLUMNS, BLOCKING_COLUMN))


def detect_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """``fmt`` when given, else the format named by the file extension (TSV when unknown)."""
    if fmt:
        if fmt not in FORMATS:
            raise GlossaryError(f"unknown glossary format {fmt!r} (choose from {', '.join(FORMATS)})")
        return fmt
    return _EXTENSIONS.get(Path(path).suffix.lower(), "tsv")


# -- reading -----------------------------------------------------------------------------------------


def read_text(path: str | os.PathLike[str]) -> str:
    """The file's text (UTF-8, BOM dropped); unreadable -> InputError, undecodable -> GlossaryError.

    ``-`` is standard input (named ``<stdin>`` in messages)."""
    p = Path(path)
    if str(path) == STDIN:
        p, raw = Path(STDIN_NAME), sys.stdin.buffer.read()
    else:
        raw = read_input_bytes(p, what="glossary file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise GlossaryError(f"{p}:{line}: not UTF-8 (byte 0x{raw[e.start]:02x})") from None
    return text.removeprefix("\ufeff")


def parse(text: str, fmt: str, name: str, *, allow_empty_en: bool = False) -> list[Entry]:
    """Entries of ``text`` in ``fmt``; each carries its row problems in ``.problems`` (lenient).

    Structural errors that leave no rows to speak of (bad header, broken XML/JSON) raise GlossaryError.
    """
    parser = {"tsv": _parse_tsv, "csv": _parse_csv, "tbx": _parse_tbx, "json": _parse_json}[fmt]
    entries = parser(text, name)
    for e in entries:
        e.source = name
        if not e.problems:  # a structural problem (columns, missing term) says it all
            e.problems = validate(e, allow_empty_en=allow_empty_en)
    return entries


def problems_of(entries: list[Entry]) -> list[str]:
    """``file:line: message`` for every row problem and every term defined twice in the same file."""
    out = [f"{e.where}: {p}" for e in entries for p in e.problems]
    first: dict[str, Entry] = {}
    for e in entries:
        if e.zh in first:
            out.append(f"{e.where}: duplicate term {e.zh} (first at line {first[e.zh].line})")
        else:
            first[e.zh] = e
    return out


def read_entries(
    path: str | os.PathLike[str], fmt: str | None = None, *, allow_empty_en: bool = False, strict: bool = True
) -> list[Entry]:
    """Read a glossary file; with ``strict`` any malformed row raises GlossaryError (``file:line: ...``)."""
    fmt = detect_format(path, fmt)
    name = STDIN_NAME if str(path) == STDIN else str(path)
    entries = parse(read_text(path), fmt, name, allow_empty_en=allow_empty_en)
    if strict:
        raise_problems(problems_of(entries))
    return entries


def raise_problems(problems: list[str]) -> None:
    if problems:
        more = (
            f" (and {len(problems) - 1} more problem(s); run `bulletin glossary check`)"
            if len(problems) > 1
            else ""
        )
        raise GlossaryError(problems[0] + more)


def _parse_tsv(text: str, name: str) -> list[Entry]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return []
    head = lines[0].rstrip("\r")
    if head not in (HEADER, HEADER_BLOCKING):
        raise GlossaryError(
            f"{name}:1: expected the header {HEADER!r} (tab-separated; optional 6th column "
            f"{BLOCKING_COLUMN!r})"
        )
    width = head.count("\t") + 1
    out: list[Entry] = []
    for no, line in enumerate(lines[1:], start=2):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != width:
            e = Entry(zh=cells[0], en="", line=no)
            e.problems.append(f"expected {width} tab-separated columns, found {len(cells)}")
            out.append(e)
            continue
        zh, en, variants, category, note = cells[:5]
        flag = cells[5] if width > 5 else ""
        e = Entry(zh=zh, en=en, variants=split_variants(variants), category=category, note=note, line=no)
        e.blocking = flag == BLOCKING_YES
        if flag not in ("", BLOCKING_YES):
            e.problems.append(f"{BLOCKING_COLUMN} must be {BLOCKING_YES!r} or empty, found {flag!r}")
        out.append(e)
    return out


_LANG_HEADERS = {"zh", "zh-cn", "zh-hans", "zh_cn", "cn", "en", "en-us", "en-gb", "en_us", "source", "target"}


def _parse_csv(text: str, name: str) -> list[Entry]:
    out: list[Entry] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            no = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if no == 1 and all(c.strip().lower() in _LANG_HEADERS for c in row):
                continue
            if len(row) not in (2, 4):
                e = Entry(zh=row[0], en="", line=no)
                e.problems.append(f"expected 2 columns (source,target), found {len(row)}")
                out.append(e)
                continue
            out.append(Entry(zh=row[0], en=row[1], line=no))
    except csv.Error as e:
        raise GlossaryError(f"{name}:{reader.line_num}: {e}") from None
    return out


def _parse_json(text: str, name: str) -> list[Entry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise GlossaryError(f"{name}:{e.lineno}: not valid JSON: {e.msg}") from None
    items = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise GlossaryError(f'{name}:1: expected a list of entries or an object with "entries"')
    lines = _json_item_lines(text, len(items))
    out: list[Entry] = []
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else 0
        if not isinstance(item, dict):
            e = Entry(zh="", en="", line=line)
            e.problems.append("entry is not an object")
            out.append(e)
            continue
        problems = []
        variants = item.get("variants", [])
        if isinstance(variants, str):
            variants = list(split_variants(variants))
        fields = {k: item.get(k, "") for k in ("zh", "en", "category", "note")}
        blocking = item.get("blocking", False)
        if not isinstance(blocking, bool):
            problems.append("field blocking has the wrong type (true or false)")
        for k, v in [*fields.items(), ("variants", variants)]:
            ok = (
                isinstance(v, list) and all(isinstance(x, str) for x in v)
                if k == "variants"
                else isinstance(v, str)
            )
            if not ok:
                problems.append(f"field {k} has the wrong type")
        unknown = sorted(set(item) - {*COLUMNS, BLOCKING_COLUMN})
        if unknown:
            problems.append(f"unknown field(s): {', '.join(unknown)}")
        if problems:
            e = Entry(zh=str(fields["zh"]), en="", line=line)
            e.problems += problems
        else:
            e = Entry(
                zh=fields["zh"],
                en=fields["en"],
                variants=tuple(variants),
                category=fields["category"],
                note=fields["note"],
                blocking=blocking is True,
                line=line,
            )
        out.append(e)
    return out


def _json_item_lines(text: str, count: int) -> list[int]:
    """Best-effort line numbers of the items of the entries array (one per item, or [] when unsure)."""
    m = re.search(r'"entries"\s*:\s*\[', text) if text.lstrip().startswith("{") else re.search(r"\[", text)
    if not m:
        return []
    decoder = json.JSONDecoder()
    pos, lines = m.end(), []
    try:
        for _ in range(count):
            while text[pos] in " \t\r\n,":
                pos += 1
            start = pos
            _, pos = decoder.raw_decode(text, pos)
            lines.append(text.count("\n", 0, start) + 1)
    except (ValueError, IndexError):
        return []
    return lines


class _TbxHandler(ContentHandler):
    """Collects termEntry/conceptEntry elements into Entries with their line numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.root: str | None = None
        self._entry: dict | None = None
        self._lang: str | None = None
        self._term: dict | None = None
        self._text: list[str] | None = None
        self._textkind: str | None = None

    def startElement(self, name, attrs):  # noqa: N802 - SAX API
        if self.root is None:
            self.root = name
        if name in ("termEntry", "conceptEntry"):
            self._entry = {
                "line": self._locator.getLineNumber() if self._locator else 0,
                "zh": [],
                "en": [],
                "category": [],
                "note": [],
                "blocking": [],
                "problems": [],
            }
        elif self._entry is None:
            return
        elif name in ("langSet", "langSec"):
            lang = (attrs.get("xml:lang") or "").lower()
            self._lang = "zh" if lang.startswith("zh") else "en" if lang.startswith("en") else lang
        elif name in ("tig", "termSec", "ntig"):
            self._term = {"term": None, "status": ""}
        elif name == "term":
            self._collect("term")
        elif name == "termNote" and attrs.get("type") == "administrativeStatus":
            self._collect("status")
        elif name == "descrip" and attrs.get("type") == "subjectField" and self._lang is None:
            self._collect("category")
        elif name == "descrip" and attrs.get("type") == BLOCKING_COLUMN and self._lang is None:
            self._collect("blocking")
        elif name == "note" and self._lang is None:
            self._collect("note")

    def _collect(self, kind: str) -> None:
        self._text, self._textkind = [], kind

    def characters(self, content):
        if self._text is not None:
            self._text.append(content)

    def endElement(self, name):  # noqa: N802 - SAX API
        if self._entry is None:
            return
        if self._text is not None and name in ("term", "termNote", "descrip", "note"):
            value, kind = "".join(self._text), self._textkind
            self._text = self._textkind = None
            if kind in ("term", "status") and self._term is not None:
                self._term[kind] = value
            elif kind in ("category", "note", "blocking"):
                self._entry[kind].append(value)
        elif name in ("tig", "termSec", "ntig"):
            if self._term and self._term["term"] is not None and self._lang in ("zh", "en"):
                self._entry[self._lang].append(self._term)
            self._term = None
        elif name in ("langSet", "langSec"):
            self._lang = None
        elif name in ("termEntry", "conceptEntry"):
            self.entries.append(self._finish(self._entry))
            self._entry = None

    @staticmethod
    def _finish(d: dict) -> Entry:
        zh = sorted(d["zh"], key=lambda t: not t["status"].startswith("preferred"))  # stable: preferred first
        problems = []
        blocking = any(v.strip() == BLOCKING_YES for v in d["blocking"])
        if not zh:
            problems.append("termEntry has no zh term")
        if len(d["en"]) != (0 if blocking else 1):
            want = "no en term (it is blocking)" if blocking else "exactly one en term"
            problems.append(f"termEntry needs {want}, found {len(d['en'])}")
        e = Entry(
            zh=zh[0]["term"] if zh else "",
            en=d["en"][0]["term"] if d["en"] else "",
            variants=tuple(t["term"] for t in zh[1:]),
            category="; ".join(d["category"]),
            note="; ".join(d["note"]),
            blocking=blocking,
            line=d["line"],
        )
        e.problems += problems
        return e


def _parse_tbx(text: str, name: str) -> list[Entry]:
    handler = _TbxHandler()
    try:
        defusedxml.sax.parseString(text.encode("utf-8"), handler)
    except defusedxml.DefusedXmlException as e:
        raise GlossaryError(
            f"{name}: unsafe XML refused ({type(e).__name__}: entities and external "
            "references are not allowed in TBX)"
        ) from None
    except SAXException as e:
        line = e.getLineNumber() if hasattr(e, "getLineNumber") else 0
        raise GlossaryError(f"{name}:{line}: not well-formed TBX: {e.getMessage()}") from None
    if handler.root not in ("martif", "tbx"):
        raise GlossaryError(
            f"{name}:1: not a TBX file (root element {handler.root!r}, expected martif or tbx)"
        )
    return handler.entries


# -- writing -----------------------------------------------------------------------------------------


def dumps(entries: list[Entry], fmt: str, *, variants_as_rows: bool = False) -> str:
    """The text of ``entries`` (sorted by zh) in ``fmt``."""
    entries = sorted(entries, key=sort_key)
    if fmt == "tsv":
        wide = any(e.blocking for e in entries)
        rows = ("\t".join(e.to_row(blocking_column=wide)) for e in entries)
        return "".join(line + "\n" for line in [HEADER_BLOCKING if wide else HEADER, *rows])
    if fmt == "csv":
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\n")
        for e in entries:
            if e.blocking:  # see the module docstring
                continue
            for zh in e.surfaces() if variants_as_rows else (e.zh,):
                w.writerow([zh, e.en])
        return buf.getvalue()
    if fmt == "json":
        body = ",\n".join("  " + json.dumps(e.to_dict(), ensure_ascii=False) for e in entries)
        return '{"format": "bulletin-glossary", "version": 1, "entries": [\n' + body + "\n]}\n"
    if fmt == "tbx":
        return _dump_tbx(entries)
    raise GlossaryError(f"unknown glossary format {fmt!r}")


def _dump_tbx(entries: list[Entry]) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<martif type="TBX-Basic" xml:lang="en">',
        "  <martifHeader>",
        "    <fileDesc><sourceDesc><p>bulletin policy glossary</p></sourceDesc></fileDesc>",
        '    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>',
        "  </martifHeader>",
        "  <text>",
        "    <body>",
    ]
    for i, e in enumerate(entries, start=1):
        out.append(f'      <termEntry id="e{i}">')
        if e.category:
            out.append(f'        <descrip type="subjectField">{escape(e.category)}</descrip>')
        if e.note:
            out.append(f"        <note>{escape(e.note)}</note>")
        if e.blocking:
            out.append(f'        <descrip type="{BLOCKING_COLUMN}">{BLOCKING_YES}</descrip>')
        out.append('        <langSet xml:lang="zh">')
        for j, term in enumerate(e.surfaces()):
            status = "preferredTerm-admn-sts" if j == 0 else "admittedTerm-admn-sts"
            out.append(
                f"          <tig><term>{escape(term)}</term>"
                f'<termNote type="administrativeStatus">{status}</termNote></tig>'
            )
        out.append("        </langSet>")
        if not e.blocking:
            out.append(f'        <langSet xml:lang="en"><tig><term>{escape(e.en)}</term></tig></langSet>')
        out.append("      </termEntry>")
    out += ["    </body>", "  </text>", "</martif>", ""]
    return "\n".join(out)


def write_entries(path: str | os.PathLike[str], entries: list[Entry], fmt: str | None = None) -> None:
    """Write ``entries`` atomically (temp file + rename) in the format of ``path``."""
    write_atomic(path, dumps(entries, detect_format(path, fmt)))

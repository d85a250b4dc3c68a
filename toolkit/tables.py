"""Flattened tables: a Word or PDF table extracted one cell a line, rebuilt as rows of cells.

A table is a run of at least ``MIN_CELLS`` short lines without sentence punctuation, a good share of
them numbers. Its caption is the bare line above it; its header the leading text cells (split into a
unit row such as 户 / 人 / % where one follows). Rows end after the run of numeric cells that closes a
typical row: ``k`` numbers, the commonest run length, extended while the following numbers have the
shape of the last column (``12.15`` then ``2018`` ends the row before 2018; ``…17328 33.79%`` keeps
the percentage). A caption and header repeated inside the table (a page break) are dropped from the
rows and reported, so nothing is lost. Merged cells make rows shorter; cells are aligned to the
columns from the right, where the numbers are.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

MIN_CELLS = 8
MAX_CELL = 16
_NUMERIC_RE = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?\s*[%‰]?$")
_PUNCT = set("。；;，,：:！？!?")
_UNIT_WORDS = {
    "户",
    "人",
    "%",
    "‰",
    "元",
    "万元",
    "亿元",
    "个",
    "亩",
    "万亩",
    "公里",
    "千米",
    "米",
    "吨",
    "万吨",
    "人次",
    "万人",
    "家",
    "所",
    "套",
    "间",
    "张",
    "台",
    "辆",
    "项",
    "次",
    "年",
    "岁",
    "平方米",
    "公顷",
    "千克",
    "斤",
    "株",
    "头",
    "只",
    "羽",
    "km",
    "kg",
    "m²",
    "㎡",
}
_HEADER_UNIT_RE = re.compile(r"[（(]\s*(?:单位\s*[:：]\s*)?([^（）()]{1,6})\s*[）)]\s*$")


def is_numeric(cell: str) -> bool:
    return bool(_NUMERIC_RE.match(cell.strip()))


def is_cell(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) <= MAX_CELL and not any(c in _PUNCT for c in s)


def _shape(cell: str) -> tuple[bool, bool]:
    c = cell.strip()
    return c.endswith(("%", "‰")), "." in c


@dataclass
class TableBlock:
    """Line indexes (into the list given to :func:`find_tables`) of one table."""

    start: int  # first line of the table (its caption when it has one)
    end: int  # one past the last line
    caption: int | None
    header: list[list[int]] = field(default_factory=list)  # header rows of line indexes
    rows: list[list[int]] = field(default_factory=list)
    repeated: list[int] = field(default_factory=list)  # repeated caption/header lines (page breaks)
    numeric_columns: int = 0  # how many columns at the right of each row hold numbers


def find_tables(lines: list[str], *, is_free=lambda i: True) -> list[TableBlock]:
    """Tables among ``lines`` (stripped paragraph texts); ``is_free(i)``: may line i be a cell."""
    blocks: list[TableBlock] = []
    i, n = 0, len(lines)
    while i < n:
        if not (is_free(i) and is_cell(lines[i])):
            i += 1
            continue
        j = i
        while j < n and is_free(j) and (is_cell(lines[j]) or _is_repeated_caption(lines, j, blocks, i)):
            j += 1
        cells = list(range(i, j))
        nums = sum(1 for k in cells if is_numeric(lines[k]))
        if len(cells) >= MIN_CELLS and nums >= 3 and nums >= 0.25 * len(cells):
            caption = i - 1 if i > 0 and is_free(i - 1) and _is_caption(lines[i - 1]) else None
            blocks.append(_build(lines, cells, caption))
        i = max(j, i + 1)
    return blocks


def _is_caption(line: str) -> bool:
    s = line.strip()
    return 2 <= len(s) <= 40 and not any(c in "。；;！？" for c in s[:-1]) and s[-1] not in "。；;，,：:"


def _is_repeated_caption(lines: list[str], j: int, blocks: list[TableBlock], i: int) -> bool:
    """A caption line inside a run of cells that repeats the line just above the run (a page break)."""
    return i > 0 and lines[j].strip() == lines[i - 1].strip() and _is_caption(lines[j])


def _build(lines: list[str], cells: list[int], caption: int | None) -> TableBlock:
    text = [lines[k].strip() for k in cells]
    # the header: leading text cells, with a unit row (户 人 %) split off where there is one
    lead = 0
    while lead < len(text) and not is_numeric(text[lead]):
        lead += 1
    header_rows: list[list[int]] = []
    units_at = next(
        (
            u
            for u in range(1, lead)
            if text[u] in _UNIT_WORDS and all(t in _UNIT_WORDS for t in text[u : u + 2] if u + 1 < lead)
        ),
        None,
    )
    runs = _numeric_runs(text)
    k = Counter(r for _, r in runs).most_common(1)[0][0] if runs else 1
    if units_at is not None:
        u_end = units_at
        while u_end < lead and text[u_end] in _UNIT_WORDS:
            u_end += 1
        header_rows = [cells[:units_at], cells[units_at:u_end]]
        body_from = u_end
    else:
        rows_after = _split_rows(text, lead, k)
        widest = max((len(r) for r in rows_after[1:]), default=lead)
        hlen = lead if lead <= max(widest, k + 1) else max(widest, k + 1)
        header_rows = [cells[:hlen]] if hlen else []
        body_from = hlen
    header_text = [text[x - cells[0]] for row in header_rows for x in row]
    block = TableBlock(
        start=caption if caption is not None else cells[0],
        end=cells[-1] + 1,
        caption=caption,
        header=header_rows,
        numeric_columns=k,
    )
    rows = _split_rows(text, body_from, k)
    cap_text = lines[caption].strip() if caption is not None else None
    for r in rows:
        idx = [cells[0] + x for x in r]
        # drop a repeated caption and header (page break): caption text, then the header cells again
        kept: list[int] = []
        x = 0
        while x < len(idx):
            t = lines[idx[x]].strip()
            if cap_text is not None and t == cap_text:
                block.repeated.append(idx[x])
                x += 1
                continue
            if header_text and [lines[y].strip() for y in idx[x : x + len(header_text)]] == header_text:
                block.repeated.extend(idx[x : x + len(header_text)])
                x += len(header_text)
                continue
            kept.append(idx[x])
            x += 1
        if kept:
            block.rows.append(kept)
    return block


def _numeric_runs(text: list[str]) -> list[tuple[int, int]]:
    runs, x = [], 0
    while x < len(text):
        if is_numeric(text[x]):
            y = x
            while y < len(text) and is_numeric(text[y]):
                y += 1
            runs.append((x, y - x))
            x = y
        else:
            x += 1
    return runs


def _split_rows(text: list[str], start: int, k: int) -> list[list[int]]:
    """Rows (indexes into ``text``) from ``start``: a row closes after its run of ``k`` numbers, extended
    over following numbers of the last column's shape."""
    closing = Counter()
    for x, r in _numeric_runs(text[start:]):
        if r == k:
            closing[_shape(text[start + x + r - 1])] += 1
    last_shape = closing.most_common(1)[0][0] if closing else None
    rows: list[list[int]] = []
    cur: list[int] = []
    x = start
    while x < len(text):
        if is_numeric(text[x]):
            y = x
            while y < len(text) and is_numeric(text[y]):
                y += 1
            r = y - x
            if r < k:
                cur += list(range(x, y))
                x = y
                continue
            stop = x + k
            for z in range(x + k, y):
                if last_shape is not None and _shape(text[z]) == last_shape:
                    stop = z + 1
                else:
                    break
            cur += list(range(x, stop))
            rows.append(cur)
            cur = []
            x = stop
        else:
            cur.append(x)
            x += 1
    if cur:
        rows.append(cur)
    return rows


def column_units(header: list[str], unit_row: list[str] | None, numeric_columns: int) -> list[str | None]:
    """Per numeric column (left to right, ``numeric_columns`` of them): the unit the header gives, or None.

    A unit row (户 / 人 / %) gives one unit per numeric column; otherwise a header cell's parenthesised unit
    (总人口（人）, 投资（万元）) counts, the header aligned to the columns from the right."""
    if unit_row and len(unit_row) == numeric_columns:
        return list(unit_row)
    units: list[str | None] = []
    tail = header[-numeric_columns:] if numeric_columns and len(header) >= numeric_columns else []
    for h in tail:
        m = _HEADER_UNIT_RE.search(h)
        units.append(m.group(1).strip() if m else None)
    return units or [None] * numeric_columns

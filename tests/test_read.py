"""Reading: encodings, traditional detection, stdin, NUL bytes."""

import io
import sys
from pathlib import Path

import pytest

from toolkit.errors import BadInputError
from toolkit.read import common_share, decode, read

DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = DATA.parent.parent / "examples" / "sichuan-poverty-2020-93.txt"
TRAD = (DATA / "shapes" / "traditional.txt").read_text(encoding="utf-8")
SIMPLIFIED = EXAMPLE.read_text(encoding="utf-8")


def _write(tmp_path, data: bytes, name="b.txt") -> str:
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), "utf-8"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (SIMPLIFIED.replace("\u2022", "·").encode("gbk"), "gb18030"),
    ],
)
def test_simplified_encodings_decode_to_the_same_text(tmp_path, data, encoding):
    doc = read(_write(tmp_path, data))
    if "\u2022" not in doc.original:  # GBK has no bullet •; the test text uses · there
        doc.original = doc.original.replace("·", "\u2022")
        doc.text = doc.text.replace("·", "\u2022")
    assert doc.encoding == encoding
    assert doc.original == SIMPLIFIED
    assert doc.text == SIMPLIFIED and not doc.traditional
    assert list(doc.offsets) == list(range(len(SIMPLIFIED)))


def test_big5_traditional_is_detected_and_converted(tmp_path):
    doc = read(_write(tmp_path, TRAD.encode("big5")))
    assert doc.encoding == "big5"
    assert doc.traditional
    assert doc.original == TRAD
    assert "乡村振兴简报" in doc.text and "台湾事务办公室" in doc.text
    assert len(doc.offsets) == len(doc.text)


def test_utf8_traditional_is_converted_keeping_the_original(tmp_path):
    doc = read(_write(tmp_path, TRAD.encode("utf-8")))
    assert doc.traditional and doc.original == TRAD and "鄉" not in doc.text


def test_simplified_text_with_qian_comes_through_unchanged(tmp_path):
    text = "吉林省乾安县和北京乾清宫的脱贫攻坚工作取得显著成效，全县贫困人口全部脱贫。"
    doc = read(_write(tmp_path, text.encode("utf-8")))
    assert not doc.traditional
    assert doc.text == text  # OpenCC t2s would have made 干安县


def test_gb_bytes_are_not_mistaken_for_big5():
    text, enc, _ = decode(SIMPLIFIED.encode("gb18030"))
    assert enc == "gb18030" and text == SIMPLIFIED
    text, enc, _ = decode(TRAD.encode("big5"))
    assert enc == "big5" and text == TRAD


def test_common_share_separates_text_from_mojibake():
    assert common_share(SIMPLIFIED) > 0.9
    mojibake = TRAD.encode("big5").decode("gb18030", errors="ignore")
    assert common_share(mojibake) < 0.6


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SIMPLIFIED.encode("gb18030"))))
    doc = read("-")
    assert doc.source == "-" and doc.encoding == "gb18030" and doc.original == SIMPLIFIED


def test_a_few_nul_bytes_are_stripped_and_counted(tmp_path):
    data = SIMPLIFIED.encode("utf-8")
    doc = read(_write(tmp_path, data[:30] + b"\x00" + data[30:]))
    assert doc.original == SIMPLIFIED
    assert doc.meta["nul_bytes_stripped"] == 1


def test_too_large(tmp_path):
    with pytest.raises(BadInputError, match="larger than"):
        read(_write(tmp_path, SIMPLIFIED.encode("utf-8")), max_bytes=1000)

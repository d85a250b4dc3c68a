"""The summary JSON quotes each pick's Chinese as the reader's source has it, so quoted facts are found."""

from __future__ import annotations

import json

from toolkit.doc import Document, Sentence
from toolkit.render.summary import to_json
from toolkit.summarize import summarize


def test_json_zh_of_a_traditional_input_is_the_traditional_source() -> None:
    doc = Document(
        source="hk.txt",
        traditional=True,
        lead=[Sentence(id="s0.0.1", text="今年共资助学生4200人。", original="今年共資助\n學生4200人。")],
    )
    summarize(doc)
    picked = json.loads(to_json(doc))["summary"][0]["sentences"]
    assert [s["zh"] for s in picked] == ["今年共資助 學生4200人。"]
    assert picked[0]["original"] == "今年共資助\n學生4200人。"


def test_json_zh_of_a_simplified_input_is_the_normalized_sentence() -> None:
    lead = [Sentence(id="s0.0.1", text="今年共资助学生4200人。", original="今年共资助 学生4200人。")]
    doc = Document(source="a.txt", lead=lead)
    summarize(doc)
    assert json.loads(to_json(doc))["summary"][0]["sentences"][0]["zh"] == "今年共资助学生4200人。"

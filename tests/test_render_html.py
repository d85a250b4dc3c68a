"""The bilingual review page (toolkit.render.html): markup unit tests and a headless-Chromium check."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from toolkit.doc import Constraint, Document, Figure, Footer, Header, Point, Section, Sentence, TermMatch
from toolkit.render.html import PALETTE_PAIRS, contrast_ratio, entry_colours, find_occurrences, to_html

ARTIFACTS = Path(__file__).parent / "artifacts"
GLOSSARY = "glossaries/poverty.tsv"
H1_EN = 'Focus on the overall situation and play the "concerto" of poverty alleviation'
H2_EN = "Give play to the strengths of each sector on the main battlefield of poverty alleviation"
NASTY_ZH = '测试<script>alert("x")</script> & “引号”共100户'
NASTY_EN = 'Test <script>alert("x")</script> & "quotes": 100 households'


# -- a translated document, built by hand ---------------------------------------


def term(text: str, surface: str, en: str, *, note: str = "", nth: int = 0) -> TermMatch:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return TermMatch(start, start + len(surface), surface, surface, en, "policy", note, GLOSSARY)


def fig(text: str, surface: str, kind: str = "count", digits: str = "", unit: str | None = None) -> Figure:
    start = text.index(surface)
    return Figure(start, start + len(surface), surface, kind, digits, unit=unit)


def sent(sid: str, text: str, en: str | None, *, terms=(), figures=(), fig_en=(), qa=()) -> Sentence:
    """A translated sentence whose constraints follow its terms and figures (fig_en: the figures' English)."""
    s = Sentence(id=sid, text=text, original=text, terms=list(terms), figures=list(figures), en=en,
                 qa=list(qa))
    for t in s.terms:
        s.constraints.append(Constraint(t.en, "term", t.text, t.start, t.end, t.zh, t.source, t.note))
    for f, e in zip(s.figures, fig_en, strict=True):
        s.constraints.append(Constraint(e, "figure", f.text, f.start, f.end))
    return s


def make_doc() -> Document:
    tp, dp = "脱贫攻坚", "民主党派"
    PA, DP = "poverty alleviation", "democratic parties"

    x_name = "脱贫攻坚简报"
    x_office = "四川省脱贫攻坚领导小组办公室"
    labels = {
        "x.name": sent("x.name", x_name, "Poverty Alleviation Bulletin", terms=[term(x_name, tp, PA)]),
        "x.office": sent("x.office", x_office, "Office of the Sichuan Poverty Alleviation Leading Group",
                         terms=[term(x_office, tp, PA)]),
        "x.dist.1": sent("x.dist.1", "致公党中央", "Central Committee of the Zhi Gong Party"),
        "x.dist.2": sent("x.dist.2", "中农办", "Office of the Central Rural Work Leading Group"),
        "x.printer": sent("x.printer", x_office, "Office of the Sichuan Poverty Alleviation Leading Group",
                          terms=[term(x_office, tp, PA)]),
    }
    t1 = '画出最大"同心圆"聚力决战脱贫攻坚'
    t2 = "——广安市各民主党派助力全面建成小康社会"
    lead = "党的十八大以来，广安市各民主党派广泛凝聚思想共识，多形式参与脱贫攻坚工作。"
    h1 = '围绕中心大局，奏响脱贫攻坚"协奏曲"'
    p11 = "全篇谋划，形成整体合力。"  # structure keeps a point's marker (一是) out of the sentence text
    p12 = "全市各民主党派开展活动，赴京汇报10余次，赴省对接近100次。"
    p21 = "主动对接，引进重大脱贫攻坚项目18个，总投资超过23.4亿元。"
    h11 = "民主党派参与脱贫攻坚"
    h2 = "发挥界别优势，奔赴脱贫攻坚主战场"
    b21 = "全市各民主党派组织联系贫困村88个，党派成员联系贫困户954户。"
    b22 = "各民主党派开展社会服务900余场次，民主党派企业家出资发展产业。"

    title = sent("t1", t1, 'Drawing the largest "concentric circle" to win the battle of poverty alleviation',
                 terms=[term(t1, tp, PA)])
    subtitle = sent("t2", t2, "Democratic parties in Guang'an help build a moderately prosperous society",
                    terms=[term(t2, dp, DP)])
    lead_s = sent("s0.0.1", lead,
                  "Since the 18th National Congress, the democratic parties of Guang'an have joined "
                  "poverty alleviation in many forms.",
                  terms=[term(lead, dp, DP), term(lead, tp, PA)],
                  figures=[fig(lead, "十八大", "ordinal")], fig_en=["18th"])
    s111 = sent("s1.1.1", p11, "Plan as a whole and form a joint force.")
    s112 = sent("s1.1.2", p12,
                "The democratic parties reported to Beijing more than 10 times and to the province nearly "
                "100 times; Democratic Parties everywhere joined.",
                terms=[term(p12, dp, DP)],
                figures=[fig(p12, "10余次", "count", "10", "次"), fig(p12, "100次", "count", "100", "次")],
                fig_en=["10", "100"])
    s121 = sent("s1.2.1", p21,
                "Take the initiative: 18 major poverty alleviation projects were introduced, with a total "
                "investment of over 2.34 billion yuan.",
                terms=[term(p21, tp, PA)],
                figures=[fig(p21, "18个", "count", "18", "个"), fig(p21, "23.4亿元", "amount", "23.4", "元")],
                fig_en=["18", "2.34 billion yuan"],
                qa=["missing constraint '2.34 billion yuan' (0 of 1)"])
    nasty = sent("s1.1.0.1", NASTY_ZH, NASTY_EN, figures=[fig(NASTY_ZH, "100户", "count", "100", "户")],
                 fig_en=["100"], qa=["foreign figure '1999'", "Chinese characters left: <b>的</b> & co"])
    nasty.terms.append(TermMatch(0, 2, "测试", "测试", "test", "misc", 'a "quoted" <note> & more', GLOSSARY))
    nasty.constraints.append(Constraint("test", "term", "测试", 0, 2, zh="测试", source=GLOSSARY,
                                        note='a "quoted" <note> & more'))
    sub_heading = sent("h1.1", h11, "Democratic parties take part in poverty alleviation",
                       terms=[term(h11, dp, DP), term(h11, tp, PA)])
    b21s = sent("s2.0.1", b21,
                "The democratic parties contacted 88 poor villages and 954 poor households.",
                terms=[term(b21, dp, DP)],
                figures=[fig(b21, "88个", "count", "88", "个"), fig(b21, "954户", "count", "954", "户")],
                fig_en=["88", "954"])
    b22s = sent("s2.0.2", b22,
                "The democratic parties held more than 900 social service events; entrepreneurs from the "
                "democratic parties invested in industries.",
                terms=[term(b22, dp, DP), term(b22, dp, DP, nth=1)],
                figures=[fig(b22, "900余场次", "count", "900", "场次")], fig_en=["900"])
    sec1 = Section(
        id="1", marker="一、", style="cn-dun", number=1, level=1,
        heading=sent("h1", h1, H1_EN, terms=[term(h1, tp, PA)]),
        points=[Point("一是", 1, [s111, s112]), Point("二是", 2, [s121])],
        subsections=[Section(id="1.1", marker="（一）", style="cn-paren", number=1, level=2,
                             heading=sub_heading, sentences=[nasty], summary=["s1.1.0.1"])],
        summary=["s1.1.2", "s1.2.1"],
    )
    sec2 = Section(
        id="2", marker="二、", style="cn-dun", number=2, level=1,
        heading=sent("h2", h2, H2_EN, terms=[term(h2, tp, PA)], qa=["missing constraint 'main battlefield'"]),
        sentences=[b21s, b22s],
        summary=["s2.0.1"],
    )
    doc = Document(
        source="examples/sichuan-poverty-2020-93.txt",
        header=Header(name=x_name, issue=93, issue_text="第93期", office=x_office, date="2020-12-21",
                      date_text="2020年12月21日"),
        title=title, subtitle=subtitle, lead=[lead_s], sections=[sec1, sec2],
        footer=Footer(distribution_label="分送", distribution=["致公党中央", "中农办"], printer=x_office,
                      print_date="2020-12-21", print_text="2020年12月21日印发"),
        labels=labels,
    )
    sentences = doc.all_sentences()
    doc.meta = {
        "model": "models/tiny-marian",
        "glossary": {"files": [{"path": GLOSSARY, "entries": 812}, {"path": "my-terms.tsv", "entries": 7}],
                     "entries": 819},
        "qa": {"sentences": len(sentences), "violations": 3, "constraints": 25, "satisfied": 24,
               "foreign_figures": 1},
        "summary": {"lead": ["s0.0.1"], "overall": ["s1.2.1", "s2.0.1"]},
        "english": {
            "header": {"name": "Poverty Alleviation Bulletin", "issue": "Issue 93",
                       "office": "Office of the Sichuan Poverty Alleviation Leading Group",
                       "date": "2020-12-21"},
            "headings": {"1": f"I. {H1_EN}",
                         "1.1": "(1) Democratic parties take part in poverty alleviation",
                         "2": f"II. {H2_EN}"},
            "points": {"1.1": "First,", "1.2": "Second,"},
            "footer": {"distribution": "Distribution: Central Committee of the Zhi Gong Party; Office of the "
                                       "Central Rural Work Leading Group",
                       "printed": "Printed and issued by the Office of the Sichuan Poverty Alleviation "
                                  "Leading Group on 2020-12-21"},
        },
        "created": "2020-12-22T08:30:00+00:00",
    }
    return doc


def english_shown(doc: Document, s: Sentence) -> str:
    """The English the page shows for a sentence (headings use the structural label)."""
    if s.id.startswith("h") and s.id[1:] in doc.meta.get("english", {}).get("headings", {}):
        return doc.meta["english"]["headings"][s.id[1:]]
    return s.en or ""


def _whole_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands alone: no letter, digit or underscore touches it, and it does not
    continue a number across a decimal point or group separator (4 is not in 4.8, 12,000 not in 112,000)."""

    def joins(ch: str, beyond: str) -> bool:
        return ch.isalnum() or ch == "_" or (ch != "" and ch in ".," and beyond.isdigit())

    if start == end:
        return True
    if text[start].isalnum() and joins(text[start - 1 : start], text[start - 2 : start - 1]):
        return False
    return not (text[end - 1].isalnum() and joins(text[end : end + 1], text[end + 1 : end + 2]))


def expected_en_count(doc: Document, s: Sentence, kind: str) -> int:
    """Occurrences in the shown English of the sentence's distinct constraint strings (case-insensitive,
    whole words and numbers); one inside an occurrence of a longer string (Guang'an in Guang'an City) is
    part of that one. Written from the highlighter's documented rule with plain string search, not with
    the renderer's pattern."""
    targets = {c.en.lower() for c in s.constraints if c.kind == kind and c.en.strip()}
    en = english_shown(doc, s).lower()
    spans = []
    for t in targets:
        at = en.find(t)
        while at >= 0:
            if _whole_at(en, at, at + len(t)):
                spans.append((at, at + len(t)))
            at = en.find(t, at + 1)
    return sum(1 for a, b in spans if not any(x <= a and b <= y and y - x > b - a for x, y in spans))


#: Hand-counted highlights in the English of the hand-made document (as shown: headings with their
#: labels); a sentence not listed has none. "Democratic Parties" twice in s1.1.2 and s2.0.2, "Test" once.
HAND_TERMS_EN = {"x.name": 1, "x.office": 1, "x.printer": 1, "t1": 1, "t2": 1, "s0.0.1": 2, "s1.1.2": 2,
                 "s1.2.1": 1, "s1.1.0.1": 1, "h1.1": 2, "h1": 1, "s2.0.1": 1, "s2.0.2": 2, "h2": 1}
HAND_FIGURES_EN = {"s0.0.1": 1, "s1.1.2": 2, "s1.2.1": 2, "s1.1.0.1": 1, "s2.0.1": 2, "s2.0.2": 1}


# -- a small DOM for the unit tests ------------------------------------------------

VOID = {"meta", "br", "link", "img", "input", "hr", "wbr", "col", "area", "base", "source"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.walk()

    def find(self, pred) -> list[Node]:
        return [n for n in self.walk() if pred(n)]

    def kids(self, cls: str) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and cls in c.classes]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(html: str) -> Node:
    b = TreeBuilder()
    b.feed(html)
    b.close()
    return b.root


@pytest.fixture(scope="module")
def doc() -> Document:
    return make_doc()


@pytest.fixture(scope="module")
def page(doc) -> str:
    return to_html(doc)


@pytest.fixture(scope="module")
def dom(page) -> Node:
    return parse(page)


def pairs(dom: Node) -> dict[str, Node]:
    found = dom.find(lambda n: "data-sid" in n.attrs)
    out = {n.attrs["data-sid"]: n for n in found}
    assert len(out) == len(found), "duplicate data-sid"
    return out


# -- unit tests on the markup -----------------------------------------------------------


def test_every_sentence_is_a_pair_with_both_languages(doc, dom):
    found = pairs(dom)
    assert set(found) == {s.id for s in doc.all_sentences()}
    for s in doc.all_sentences():
        node = found[s.id]
        (zh,) = node.kids("zh")
        (en,) = node.kids("en")
        assert zh.attrs["lang"] == "zh-Hans" and en.attrs["lang"] == "en"
        assert s.text in zh.text()
        assert english_shown(doc, s) in en.text()
        assert node.attrs["id"] == s.id  # summary links land on it


def test_glossary_terms_highlighted_in_both_languages(doc, dom):
    found = pairs(dom)
    total_zh = total_en = 0
    for s in doc.all_sentences():
        (zh,) = found[s.id].kids("zh")
        (en,) = found[s.id].kids("en")
        zh_marks = zh.find(lambda n: n.tag == "mark" and "term" in n.classes)
        en_marks = en.find(lambda n: n.tag == "mark" and "term" in n.classes)
        assert len(zh_marks) == len(s.terms), s.id
        assert [m.text() for m in zh_marks] == [s.text[t.start : t.end] for t in s.terms]
        assert [m.attrs["data-term"] for m in zh_marks] == [t.zh for t in s.terms]
        assert len(en_marks) == HAND_TERMS_EN.get(s.id, 0) == expected_en_count(doc, s, "term"), s.id
        total_zh += len(zh_marks)
        total_en += len(en_marks)
    assert (total_zh, total_en) == (17, 18)  # a rendering occurs twice in s1.1.2's English


def test_same_entry_same_colour_in_both_languages_and_tooltip(doc, page, dom):
    marks = dom.find(lambda n: n.tag == "mark" and "term" in n.classes)
    by_term: dict[str, set[str]] = {}
    for m in marks:
        by_term.setdefault(m.attrs["data-term"], set()).add(m.attrs["data-entry"])
        assert f"e-{m.attrs['data-entry']}" in m.classes
        tip = m.attrs["title"]
        assert "→" in tip and f"Glossary file: {GLOSSARY}" in tip
        assert dom.find(lambda n, m=m: n.attrs.get("id") == m.attrs["aria-describedby"])  # legend row
    assert set(by_term) == {"脱贫攻坚", "民主党派", "测试"}
    assert all(len(keys) == 1 for keys in by_term.values())  # one entry = one colour class, zh and en alike
    pa = next(m for m in marks if m.attrs["data-term"] == "脱贫攻坚")
    assert pa.attrs["title"].startswith("Glossary term: 脱贫攻坚 → poverty alleviation")
    bg, line = entry_colours("脱贫攻坚", "poverty alleviation", GLOSSARY)
    assert f".e-{pa.attrs['data-entry']}{{--bg:{bg};--line:{line}}}" in page
    entries = [("脱贫攻坚", "poverty alleviation"), ("民主党派", "democratic parties"), ("测试", "test")]
    colours = {entry_colours(z, e, GLOSSARY) for z, e in entries}
    assert len(colours) == 3


def test_figures_highlighted_in_both_languages(doc, dom):
    found = pairs(dom)
    for s in doc.all_sentences():
        (zh,) = found[s.id].kids("zh")
        (en,) = found[s.id].kids("en")
        zh_marks = zh.find(lambda n: n.tag == "mark" and "figure" in n.classes)
        en_marks = en.find(lambda n: n.tag == "mark" and "figure" in n.classes)
        assert [m.text() for m in zh_marks] == [f.text for f in s.figures], s.id
        assert len(en_marks) == HAND_FIGURES_EN.get(s.id, 0) == expected_en_count(doc, s, "figure"), s.id
    s = found["s1.2.1"]
    en_figures = [m.text() for m in s.kids("en")[0].find(lambda n: "figure" in n.classes)]
    assert en_figures == ["18", "2.34 billion yuan"]


def test_highlight_colours_meet_wcag_aa():
    for i in range(300):
        bg, line = entry_colours(f"术语{i}", f"rendering {i}", f"g{i % 3}.tsv")
        assert contrast_ratio("#1b1b1b", bg) >= 7.0
        assert contrast_ratio(line, "#ffffff") >= 4.5
    # deterministic across runs (a hash of the entry, not Python's salted str hash): another interpreter
    # with another hash seed gives the same colours
    code = ("from toolkit.render.html import entry_colours; "
            f"print(*entry_colours('脱贫攻坚', 'poverty alleviation', {GLOSSARY!r}))")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout.split()
        assert tuple(out) == entry_colours("脱贫攻坚", "poverty alleviation", GLOSSARY)
    for fg, bg, minimum in PALETTE_PAIRS:
        assert contrast_ratio(fg, bg) >= minimum, (fg, bg)
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54  # WCAG's darkest AA grey on white


def test_everything_is_escaped(page, dom):
    assert "<script" not in page.lower()  # neither the page's own nor the sentence's
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in page
    node = pairs(dom)["s1.1.0.1"]
    assert node.kids("zh")[0].text() == NASTY_ZH
    assert node.kids("en")[0].text() == NASTY_EN
    assert "Chinese characters left: <b>的</b> & co" in node.kids("qa-flag")[0].text()
    assert not dom.find(lambda n: n.tag == "b")
    tip = node.kids("zh")[0].find(lambda n: n.tag == "mark" and "term" in n.classes)[0].attrs["title"]
    assert 'Note: a "quoted" <note> & more' in tip


def test_qa_flags_sit_on_the_sentences_they_concern(doc, dom):
    found = pairs(dom)
    flagged = {s.id for s in doc.all_sentences() if s.qa}
    assert flagged == {"s1.2.1", "s1.1.0.1", "h2"}
    flags = dom.find(lambda n: "qa-flag" in n.classes)
    assert len(flags) == len(flagged)
    for f in flags:
        assert f.parent.attrs.get("data-sid") in flagged
    for sid in flagged:
        node = found[sid]
        assert "has-qa" in node.classes
        s = next(x for x in doc.all_sentences() if x.id == sid)
        text = node.kids("qa-flag")[0].text()
        assert f"{len(s.qa)} finding" in text and all(q in text for q in s.qa)
    assert not any("has-qa" in n.classes for sid, n in found.items() if sid not in flagged)


def test_summary_at_the_top_of_each_section_links_to_sentences(doc, dom):
    ids = {n.attrs["id"] for n in dom.find(lambda n: "id" in n.attrs)}
    by_id = {s.id: s for s in doc.all_sentences()}
    for sec in doc.iter_sections():
        node = dom.find(lambda n, sec=sec: n.tag == "section" and n.attrs.get("id") == f"sec-{sec.id}")[0]
        blocks = [c for c in node.children if isinstance(c, Node)]
        assert blocks[0].attrs["data-sid"] == f"h{sec.id}"  # the heading, then the summary
        assert blocks[1].tag == "aside" and "summary" in blocks[1].classes
        links = blocks[1].find(lambda n: n.tag == "a")
        assert [a.attrs["href"] for a in links] == [f"#{i}" for i in sec.summary]
        assert [a.text() for a in links] == [by_id[i].en for i in sec.summary]
        assert all(a.attrs["href"][1:] in ids for a in links)
    overall = dom.find(lambda n: n.tag == "aside" and n.attrs.get("aria-label") == "Overall summary")
    assert [a.attrs["href"] for a in overall[0].find(lambda n: n.tag == "a")] == ["#s1.2.1", "#s2.0.1"]


def test_structure_headings_and_landmarks(doc, page, dom):
    html = dom.find(lambda n: n.tag == "html")[0]
    assert html.attrs["lang"] == "en"
    landmarks = [n.tag for n in dom.find(lambda n: n.tag in {"header", "main", "footer"})]
    assert landmarks == ["header", "main", "footer"]
    h1s = dom.find(lambda n: n.tag == "h1")
    assert len(h1s) == 1 and h1s[0].attrs["data-sid"] == "t1"
    h2s = [n.attrs.get("data-sid") for n in dom.find(lambda n: n.tag == "h2")]
    assert h2s == ["h1", "h2", None]  # the sections, then the glossary legend
    assert [n.attrs["data-sid"] for n in dom.find(lambda n: n.tag == "h3")] == ["h1.1"]
    h2 = dom.find(lambda n: n.tag == "h2")[0]
    assert h2.kids("zh")[0].text().startswith("一、") and h2.kids("en")[0].text().startswith("I. Focus")
    first_point = pairs(dom)["s1.1.1"]
    assert first_point.kids("en")[0].text() == "First, Plan as a whole and form a joint force."
    assert first_point.kids("zh")[0].text() == "一是全篇谋划，形成整体合力。"  # the marker shown before it
    assert pairs(dom)["s1.1.2"].kids("en")[0].text().startswith("The democratic")  # label only on the first
    main = dom.find(lambda n: n.tag == "main")[0]
    assert [n.attrs.get("data-sid") for n in main.find(lambda n: "data-sid" in n.attrs)][:4] == [
        "x.name", "x.office", "t1", "t2"]
    # no network: nothing fetched, no script, no external links
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    css = dom.find(lambda n: n.tag == "style")[0].text()
    assert "@media print" in css and "@media screen and (max-width" in css


def test_header_shows_source_model_glossaries_date_and_qa(doc, dom):
    header = dom.find(lambda n: n.tag == "header")[0]
    text = " ".join(header.text().split())
    assert "examples/sichuan-poverty-2020-93.txt" in text
    assert "models/tiny-marian" in text
    assert f"{GLOSSARY} — 812 entries" in text and "my-terms.tsv — 7 entries" in text
    assert "819 entries in all" in text
    assert "2020-12-22T08:30:00+00:00" in text
    n = len(doc.all_sentences())
    assert f"{n} sentences checked · 3 with findings · 24 of 25 constraints satisfied" in text
    assert "1 foreign figures" in text
    footer = dom.find(lambda n: n.tag == "footer")[0]
    ftext = footer.text()
    assert "Distribution: Central Committee of the Zhi Gong Party" in ftext
    assert "分送：致公党中央；中农办" in ftext
    assert "2020年12月21日印发" in ftext and "Printed and issued by" in ftext


def test_flagged_sentences_are_linked_from_the_header(dom):
    header = dom.find(lambda n: n.tag == "header")[0]
    links = sorted(a.attrs["href"] for a in header.find(lambda n: n.tag == "a"))
    assert links == ["#h2", "#s1.1.0.1", "#s1.2.1"]


def test_untranslated_document_renders():
    d = make_doc()
    for s in d.all_sentences():
        s.en, s.constraints, s.qa = None, [], []
    d.meta = {}
    dom = parse(to_html(d, title="Plain & simple"))
    assert dom.find(lambda n: n.tag == "title")[0].text() == "Plain & simple"
    found = pairs(dom)
    assert set(found) == {s.id for s in d.all_sentences()}
    assert all(n.kids("en")[0].text() == "(not translated)" for sid, n in found.items() if sid != "h1")
    assert len(dom.find(lambda n: n.tag == "mark" and "figure" in n.classes)) == sum(
        len(s.figures) for s in d.all_sentences())
    assert not dom.find(lambda n: "qa-flag" in n.classes)
    assert re.search(r"\d{4}-\d\d-\d\dT", dom.find(lambda n: n.tag == "time")[0].text())  # now, when no date


def test_nested_and_overlapping_spans_each_get_one_mark():
    text = "投资23.4亿元"
    s = Sentence(id="s9.0.1", text=text, en="invest 2.34 billion yuan",
                 terms=[TermMatch(0, 8, text, text, "invest 2.34 billion yuan", source=GLOSSARY),
                        TermMatch(1, 3, "资2", "资2", "x", source=GLOSSARY)],
                 figures=[Figure(2, 8, "23.4亿元", "amount", "23.4")])
    d = Document(source="x.txt", lead=[s])
    zh = pairs(parse(to_html(d)))["s9.0.1"].kids("zh")[0]
    marks = zh.find(lambda n: n.tag == "mark")
    assert len(marks) == 3 and zh.text() == text
    outer = marks[0]
    assert outer.text() == text and {"term"} <= outer.classes
    assert all(m in list(outer.walk()) for m in marks[1:])  # contained spans nest inside the outer one


def test_find_occurrences_is_whole_word_case_insensitive_and_leftmost_longest():
    text = "Poverty alleviation: 112,000 and 12,000 yuan; poverty alleviation work; 2.34 vs 12.34"
    got = find_occurrences(text, ["poverty alleviation", "poverty", "12,000", "2.34", "alleviation work"])
    assert [text[a:b] for a, b, _ in got] == ["Poverty alleviation", "12,000", "poverty alleviation", "2.34"]
    assert find_occurrences("I. Focus", [""]) == []


# -- the example bulletin, parsed by the real pipeline ------------------------------------

EXAMPLE = Path(__file__).parent.parent / "examples" / "sichuan-poverty-2020-93.txt"
EXAMPLE_TERMS = [("脱贫攻坚", "poverty alleviation"), ("民主党派", "democratic parties"),
                 ("贫困户", "poor households"), ("贫困村", "poor villages"),
                 ("民主监督", "democratic oversight")]


def fake_translation(doc: Document) -> Document:
    """Fill en/constraints/qa the way the translator does, with an English made of the renderings."""
    for s in doc.all_sentences():
        s.constraints = [Constraint(t.en, "term", t.text, t.start, t.end, t.zh, t.source, t.note)
                         for t in s.terms]
        s.constraints += [Constraint(f.digits, "figure", f.text, f.start, f.end)
                          for f in s.figures if f.digits]
        words = [c.en for c in s.constraints]
        s.en = f"Sentence {s.id} keeps " + (", ".join(words) if words else "nothing") + "."
    flagged = doc.sections[1].points[0].sentences[0]
    flagged.qa = ["foreign figure '1999'"]
    from toolkit.translate.structure_en import english_furniture

    doc.meta.update({"model": "tiny", "created": "2020-12-22T00:00:00+00:00"})
    doc.meta["english"] = english_furniture(doc)
    return doc


@pytest.fixture(scope="module")
def example() -> tuple[Document, str]:
    from toolkit.glossary.entry import Entry
    from toolkit.glossary.store import Glossary
    from toolkit.pipeline import load_document

    glossary = Glossary([Entry(zh, en, source="test-terms.tsv") for zh, en in EXAMPLE_TERMS],
                        files=[("test-terms.tsv", len(EXAMPLE_TERMS))])
    doc = fake_translation(load_document(str(EXAMPLE), glossary=glossary))
    return doc, to_html(doc)


def example_page_order(doc: Document) -> list[Sentence]:
    head = [doc.labels[k] for k in ("x.name", "x.office") if k in doc.labels]
    foot = [s for k, s in doc.labels.items() if k.startswith("x.dist.")]
    foot += [doc.labels["x.printer"]] if "x.printer" in doc.labels else []
    return head + doc.sentences() + foot


def test_example_bulletin_every_pair_and_highlight(example):
    doc, page = example
    dom = parse(page)
    found = pairs(dom)
    sentences = doc.all_sentences()
    assert set(found) == {s.id for s in sentences} and len(sentences) > 40
    assert sum(len(s.terms) for s in sentences) > 20 and sum(len(s.figures) for s in sentences) > 40
    for s in sentences:
        (zh,) = found[s.id].kids("zh")
        (en,) = found[s.id].kids("en")
        assert s.text in zh.text()
        zh_terms = [m.text() for m in zh.find(lambda n: "term" in n.classes)]
        zh_figures = [m.text() for m in zh.find(lambda n: "figure" in n.classes)]
        assert zh_terms == [t.text for t in s.terms] and zh_figures == [f.text for f in s.figures], s.id
        assert len(en.find(lambda n: "term" in n.classes)) == expected_en_count(doc, s, "term"), s.id
        assert len(en.find(lambda n: "figure" in n.classes)) == expected_en_count(doc, s, "figure"), s.id
    assert "test-terms.tsv — 5 entries" in " ".join(dom.find(lambda n: n.tag == "header")[0].text().split())
    assert len(dom.find(lambda n: n.tag == "h2" and "data-sid" in n.attrs)) == len(doc.sections) == 3


# -- the page in a real browser ---------------------------------------------------------

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--hide-scrollbars"]
BROWSER_TIMEOUT = 90

#: Appended to a copy of the page by the test only (the page itself has no script): counts what the
#: browser built, checks the two columns' layout and the highlights' computed contrast.
PROBE = """<script>
(() => { try {
  const b = document.body, q = (s, r = document) => Array.from(r.querySelectorAll(s));
  const pairs = q('[data-sid]');
  const ok = pairs.filter(p => p.querySelector(':scope > .zh[lang="zh-Hans"]') &&
                               p.querySelector(':scope > .en[lang="en"]'));
  b.dataset.sids = pairs.map(p => p.dataset.sid).join(' ');
  b.dataset.pairsOk = ok.length;
  b.dataset.termsZh = q('[data-sid] > .zh mark.term').length;
  b.dataset.termsEn = q('[data-sid] > .en mark.term').length;
  b.dataset.figuresZh = q('[data-sid] > .zh mark.figure').length;
  b.dataset.figuresEn = q('[data-sid] > .en mark.figure').length;
  b.dataset.qa = q('[data-sid] > .qa-flag').map(f => f.parentElement.dataset.sid).join(' ');
  const p = document.querySelector('div.pair[data-sid^="s"]');
  const zh = p.querySelector('.zh').getBoundingClientRect();
  const en = p.querySelector('.en').getBoundingClientRect();
  b.dataset.layout = (en.left >= zh.right - 1 && Math.abs(en.top - zh.top) < 2) ? 'side-by-side'
                   : (en.top >= zh.bottom - 1 ? 'stacked' : 'other');
  const lum = c => { const v = c.match(/[\\d.]+/g).slice(0, 3).map(x => x / 255)
      .map(x => x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4);
      return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const ratio = el => { const s = getComputedStyle(el), a = lum(s.color), c = lum(s.backgroundColor);
      return (Math.max(a, c) + 0.05) / (Math.min(a, c) + 0.05); };
  const marks = q('mark.term, mark.figure');
  b.dataset.minContrast = Math.min(...marks.map(ratio)).toFixed(2);
  const clear = m => /rgba\\(.*,\\s*0\\)$/.test(getComputedStyle(m).backgroundColor);
  b.dataset.opaque = marks.some(clear) ? 0 : 1;
  b.dataset.done = '1';
} catch (e) { document.body.dataset.error = String(e); } })();
</script>"""


def find_browser() -> str | None:
    names = [os.environ["BULLETIN_CHROMIUM"]] if os.environ.get("BULLETIN_CHROMIUM") else BROWSER_NAMES
    return next((p for p in map(shutil.which, names) if p), None)


def run_browser(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [browser, *BROWSER_FLAGS, f"--user-data-dir={profile}", *args]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=BROWSER_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"headless browser did not finish within {BROWSER_TIMEOUT}s: {' '.join(cmd)}")


class BodyAttrs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attrs: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "body" and self.attrs is None:
            self.attrs = {k: v or "" for k, v in attrs}


def dumped_body(browser: str, tmp: Path, page: Path, width: int, height: int, name: str) -> dict[str, str]:
    res = run_browser(browser, tmp / f"profile-{name}", f"--window-size={width},{height}",
                      "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
    parser = BodyAttrs()
    parser.feed(res.stdout)
    assert parser.attrs and parser.attrs.get("data-done") == "1", (
        f"probe failed (rc {res.returncode}): {(parser.attrs or {}).get('data-error')} {res.stderr[-2000:]}")
    return parser.attrs


def png_info(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct byte values in the decompressed image data) of a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


def require_browser() -> str:
    browser = find_browser()
    if browser is None:
        pytest.skip("no Chromium binary found: apt-get install -y chromium chromium-driver "
                    "(or set BULLETIN_CHROMIUM to a Chromium/Chrome binary)")
    return browser


def check_in_browser(browser: str, doc: Document, page: str, tmp: Path, order: list[Sentence]) -> None:
    """Load ``page`` with the probe in headless Chromium; what the browser built must match ``doc``."""
    probed = tmp / "probed.html"
    probed.write_text(page.replace("</body>", PROBE + "\n</body>"), encoding="utf-8")
    sentences = doc.all_sentences()
    wide = dumped_body(browser, tmp, probed, 1200, 2000, "wide")
    assert wide["data-sids"].split() == [s.id for s in order]
    assert int(wide["data-pairs-ok"]) == len(sentences)
    assert int(wide["data-terms-zh"]) == sum(len(s.terms) for s in sentences)
    assert int(wide["data-terms-en"]) == sum(expected_en_count(doc, s, "term") for s in sentences)
    assert int(wide["data-figures-zh"]) == sum(len(s.figures) for s in sentences)
    assert int(wide["data-figures-en"]) == sum(expected_en_count(doc, s, "figure") for s in sentences)
    assert sorted(wide["data-qa"].split()) == sorted(s.id for s in sentences if s.qa)
    assert wide["data-layout"] == "side-by-side"
    assert float(wide["data-min-contrast"]) >= 4.5 and wide["data-opaque"] == "1"
    phone = dumped_body(browser, tmp, probed, 390, 844, "phone")
    assert phone["data-layout"] == "stacked"


def test_review_page_in_headless_chromium(doc, page, tmp_path):
    browser = require_browser()
    check_in_browser(browser, doc, page, tmp_path, sentences_in_page_order(doc))

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "review-page.html").write_text(page, encoding="utf-8")
    shot = ARTIFACTS / "review-page.png"
    shot.unlink(missing_ok=True)
    res = run_browser(browser, tmp_path / "profile-shot", "--window-size=1200,2000", f"--screenshot={shot}",
                      (ARTIFACTS / "review-page.html").as_uri())
    assert shot.exists(), f"no screenshot (rc {res.returncode}): {res.stderr[-2000:]}"
    width, height, distinct = png_info(shot)
    assert (width, height) == (1200, 2000)
    assert shot.stat().st_size > 20_000 and distinct > 50  # a rendered page, not a blank image


def test_example_bulletin_page_in_headless_chromium(example, tmp_path):
    browser = require_browser()
    doc, page = example
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "review-example.html").write_text(page, encoding="utf-8")
    check_in_browser(browser, doc, page, tmp_path, example_page_order(doc))


def sentences_in_page_order(doc: Document) -> list[Sentence]:
    """Masthead labels, title and body in document order, then the footer's labels."""
    head = [doc.labels[k] for k in ("x.name", "x.office")]
    foot = [doc.labels[k] for k in ("x.dist.1", "x.dist.2", "x.printer")]
    return head + doc.sentences() + foot


# -- the example bulletin, really translated by the tiny model through the CLI -------------


def _cli_page(cmd: list[str], out: Path) -> tuple[Document, str]:
    """Run ``bulletin`` with ``cmd``; the translated Document handed to the renderer, and the page written."""
    import toolkit.render.html as html_mod
    from toolkit.cli import main

    seen: list[Document] = []

    def spy(doc: Document, **kw) -> str:
        seen.append(doc)
        return to_html(doc, **kw)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(html_mod, "to_html", spy)
        assert main([*cmd, "-o", str(out), "--quiet"]) == 0
    assert len(seen) == 1
    return seen[0], out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def translated(tiny_model_dir, tmp_path_factory) -> tuple[Document, str]:
    out = tmp_path_factory.mktemp("review") / "review.html"
    return _cli_page(["translate", str(EXAMPLE), "--model", str(tiny_model_dir), "--format", "html"], out)


@pytest.fixture(scope="module")
def summarized(tiny_model_dir, tmp_path_factory) -> tuple[Document, str]:
    out = tmp_path_factory.mktemp("summary") / "summary.html"
    return _cli_page(["summarize", str(EXAMPLE), "--model", str(tiny_model_dir), "--format", "html"], out)


def test_translated_example_page_has_every_pair_header_and_qa(translated, tiny_model_dir):
    doc, page = translated
    dom = parse(page)
    found = pairs(dom)
    sentences = doc.all_sentences()
    assert [n.attrs["data-sid"] for n in dom.find(lambda n: "data-sid" in n.attrs)] == [
        s.id for s in example_page_order(doc)]
    assert set(found) == {s.id for s in sentences} and len(sentences) > 40
    for s in sentences:
        assert s.en and s.en.strip(), s.id
        (zh,) = found[s.id].kids("zh")
        (en,) = found[s.id].kids("en")
        assert s.text in zh.text(), s.id
        assert "(not translated)" not in en.text(), s.id
        assert [m.text() for m in zh.find(lambda n: "term" in n.classes)] == [t.text for t in s.terms], s.id
        assert [m.text() for m in zh.find(lambda n: "figure" in n.classes)] == [f.text for f in s.figures]
        assert len(en.find(lambda n: "term" in n.classes)) == expected_en_count(doc, s, "term"), s.id
        assert len(en.find(lambda n: "figure" in n.classes)) == expected_en_count(doc, s, "figure"), s.id
    # every rendering the decoder guaranteed is highlighted in the English (capitalised or not)
    for s in doc.sentences(headings=False):
        en = found[s.id].kids("en")[0]
        marked = {m.text().lower() for m in en.find(lambda n: n.tag == "mark")}
        assert {c.en.lower() for c in s.constraints} <= marked, (s.id, s.en)
    header = " ".join(dom.find(lambda n: n.tag == "header")[0].text().split())
    assert str(tiny_model_dir) in header
    files = doc.meta["glossary"]["files"]
    assert files and all(f"{f['path']} — {f['entries']} entries" in header for f in files)
    assert Path(files[0]["path"]).name == "policy.tsv"
    qa = doc.meta["qa"]
    assert (f"{qa['sentences']} sentences checked · {qa['violations']} with findings · "
            f"{qa['satisfied']} of {qa['constraints']} constraints satisfied") in header
    assert qa["sentences"] == len(sentences) and qa["constraints"] > 100
    flags = [n.parent.attrs.get("data-sid") for n in dom.find(lambda n: "qa-flag" in n.classes)]
    assert sorted(flags) == sorted(s.id for s in sentences if s.qa)
    # the section summaries (the page asks for them) sit at the top of each section
    for sec in doc.sections:
        assert sec.summary
        node = dom.find(lambda n, i=sec.id: n.attrs.get("id") == f"sec-{i}")[0]
        aside = node.find(lambda n: n.tag == "aside")[0]
        assert [a.attrs["data-ref"] for a in aside.find(lambda n: n.tag == "a")] == sec.summary


def test_translated_example_page_in_headless_chromium(translated, tmp_path):
    browser = require_browser()
    doc, page = translated
    assert sum(len(s.terms) for s in doc.all_sentences()) > 20
    check_in_browser(browser, doc, page, tmp_path, example_page_order(doc))
    ARTIFACTS.mkdir(exist_ok=True)
    html = ARTIFACTS / "review-example-tiny.html"
    html.write_text(page, encoding="utf-8")
    shot = ARTIFACTS / "review-example-tiny.png"
    shot.unlink(missing_ok=True)
    res = run_browser(browser, tmp_path / "profile-shot", "--window-size=1200,2400", f"--screenshot={shot}",
                      html.as_uri())
    assert shot.exists(), f"no screenshot (rc {res.returncode}): {res.stderr[-2000:]}"
    width, height, distinct = png_info(shot)
    assert (width, height) == (1200, 2400)
    assert shot.stat().st_size > 20_000 and distinct > 50


def test_summarize_html_page_shows_the_summaries(summarized, tiny_model_dir):
    doc, page = summarized
    dom = parse(page)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert dom.find(lambda n: n.tag == "html")[0].attrs["lang"] == "en"
    found = pairs(dom)
    picked = doc.meta["summary"]["lead"] + [i for sec in doc.sections for i in sec.summary]
    assert len(picked) >= 1 + len(doc.sections)
    lead = dom.find(lambda n: n.tag == "aside" and n.attrs.get("aria-label") == "Lead summary")[0]
    assert [a.attrs["data-ref"] for a in lead.find(lambda n: n.tag == "a")] == doc.meta["summary"]["lead"]
    for sec in doc.sections:
        node = dom.find(lambda n, i=sec.id: n.attrs.get("id") == f"sec-{i}")[0]
        aside = node.find(lambda n: n.tag == "aside")[0]
        items = aside.find(lambda n: n.tag == "a")
        assert [a.attrs["data-ref"] for a in items] == sec.summary
        by_id = {s.id: s for s in doc.all_sentences()}
        for a in items:
            assert a.text() == by_id[a.attrs["data-ref"]].en and a.text().strip()  # the English is shown
            assert a.attrs["href"] == "#" + a.attrs["data-ref"] and a.attrs["data-ref"] in found
    for s in doc.sentences():
        en = found[s.id].kids("en")[0]
        assert ("missing" in en.classes) == (s.en is None), s.id  # only unpicked sentences lack English
    assert str(tiny_model_dir) in " ".join(dom.find(lambda n: n.tag == "header")[0].text().split())

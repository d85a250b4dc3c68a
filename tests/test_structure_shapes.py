"""Real-world shapes the gold does not cover: a gov.cn page with its furniture, a notice with a wrapped
title, a Xinhua dispatch, a Hong Kong press release, a Taiwan release; expectations written by hand."""

from pathlib import Path

from toolkit.pipeline import load_document
from toolkit.read import decode

SHAPES = Path(__file__).resolve().parent / "data" / "shapes"


def texts(doc):
    return [s.text for s in doc.sentences()]


def test_web_page_furniture_is_set_aside_with_offsets():
    doc = load_document(str(SHAPES / "web-page.txt"))
    assert doc.title.text == "国务院办公厅关于进一步优化营商环境更好服务市场主体的实施意见"
    furniture = [
        "按此",
        "欢迎访问",
        "登录",
        "当前位置",
        "打印",
        "分享到",
        "访问量",
        "版权所有",
        "ICP备",
        "网站标识码",
        "相关链接",
        "字体",
        "来源",
    ]
    for word in furniture:
        assert not any(word in t for t in texts(doc)), word
    kept = doc.meta["boilerplate"]
    assert {b["kind"] for b in kept} >= {
        "skip-link",
        "welcome",
        "navigation",
        "breadcrumb",
        "share",
        "counter",
        "copyright",
    }
    for b in kept:  # nothing is lost: each piece points back into the text and the original
        assert doc.text[b["start"] : b["end"]] == b["text"]
        assert doc.original[b["orig_start"] : b["orig_end"]].replace("　", " ").strip()
    h = doc.header
    assert (h.source, h.doc_number, h.office) == ("中国政府网", "国办发〔2020〕24号", "国务院办公厅")
    assert h.date == "2020-07-21" and doc.footer.sign_date == "2020-07-15"
    assert h.addressees == ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]
    assert [s.heading.text for s in doc.sections] == [
        "持续提升投资建设便利度",
        "进一步简化企业生产经营审批和条件",
    ]
    assert doc.lead[0].text.startswith("近年来") and doc.lead[0].role == "lead"


def test_notice_title_wrapped_over_three_lines_is_one_title():
    doc = load_document(str(SHAPES / "notice.txt"))
    assert doc.title.text == "重庆市扶贫开发办公室关于印发《2019年扶贫开发工作要点》的通知"
    assert doc.header.doc_number == "渝扶贫办发〔2019〕12号"
    assert doc.header.addressees == ["各区县（自治县）扶贫办", "市级有关部门"]
    assert (doc.footer.signer, doc.footer.sign_date) == ("重庆市扶贫开发办公室", "2019-03-05")
    assert (doc.header.office, doc.header.date) == ("重庆市扶贫开发办公室", "2019-03-05")
    one, two = doc.sections
    assert [p.marker for p in one.points] == ["一要", "二要", "三要"]
    assert [p.marker for p in two.points] == ["首先", "其次", "最后"]
    assert two.points[0].sentences[0].text == "建立健全防止返贫监测机制；"  # the comma went with the marker
    assert all(s.role == "point" for p in one.points for s in p.sentences)
    assert not any("重庆市扶贫开发办公室" == t for t in texts(doc))


def test_xinhua_dateline_is_header_not_the_first_sentence():
    doc = load_document(str(SHAPES / "xinhua.txt"))
    h = doc.header
    assert (h.agency, h.place, h.source, h.author) == ("新华社", "北京", "新华网", "张三")
    assert "王某" in h.reporter
    assert doc.lead[0].text.startswith("国务院扶贫办主任刘某31日表示")
    assert not any("新华社" in t or "责任编辑" in t for t in texts(doc))


def test_hong_kong_release_date_and_list_under_a_paragraph():
    doc = load_document(str(SHAPES / "hong-kong.txt"))
    assert doc.traditional and doc.header.name == "政府新闻公报"
    assert doc.header.date == "2020-05-31" and doc.title.text == "财政司司长出席活动致辞"
    assert doc.sections == []  # （一）（二）（三） under "…以下措施支援中小企：" are list items, not sections
    assert not any(t.strip("。；") in ("及", "完") for t in texts(doc))
    assert any(t.endswith("九成信贷担保；及") for t in texts(doc))


def test_taiwan_minguo_dates():
    doc = load_document(str(SHAPES / "taiwan.txt"))
    assert doc.header.name == "行政院新闻稿" and doc.header.date == "2018-05-17"
    assert doc.footer.sign_date == "2018-05-17"  # 中華民國107年5月17日
    assert doc.title.text.startswith("行政院会通过")


def test_utf16_without_a_bom_is_read():
    text = "关于印发《实施方案》的通知\n各区县：\n现将2019年工作要点印发给你们。\n"
    for enc in ("utf-16-le", "utf-16-be"):
        decoded, name, _ = decode(text.encode(enc))
        assert decoded == text and name == enc
    assert decode(text.encode("utf-8"))[1] == "utf-8"
    assert decode(text.encode("gb18030"))[1] == "gb18030"


def test_multi_item_page_gives_one_part_per_titled_item():
    doc = load_document(str(SHAPES / "multi-item.txt"))
    assert doc.title.text == "省扶贫办召开2019年第一季度工作调度会"
    assert [s.heading.text for s in doc.sections] == [
        "省扶贫办召开2019年第一季度工作调度会",
        "全省产业扶贫现场推进会在遵义召开",
        "我省启动2019年东西部扶贫协作考核",
    ]
    assert all(s.heading.role == "heading" for s in doc.sections)
    assert doc.sections[1].sentences[0].text.startswith("3月27日")  # its date/source line is not a sentence
    assert not any("发布时间" in t or "上一篇" in t or "首页" in t for t in texts(doc))


def test_tables_render_as_tables(tmp_path):
    from toolkit.render.english import to_markdown
    from toolkit.render.structure_view import to_markdown as structure_md

    doc = load_document(str(SHAPES / "table-list.txt"))
    for cell in doc.sentences():
        cell.en = cell.text  # what a translation of the cells would give back, cell by cell
    md = to_markdown(doc)
    assert "| 乡镇 | 贫困村 | 总人口 | 贫困发生率 |" in md and "| 摆所镇 | 茅山村 | 2929 | 27.04% |" in md
    assert "|  | 合计 | 6779 | 35.56% |" in md  # a short row (merged cells) is aligned to the right
    assert "| 代化镇 | 斗省村 | 3850 | 44.08% |" in structure_md(doc)


def test_keep_boilerplate_makes_furniture_translatable_units():
    plain = load_document(str(SHAPES / "web-page.txt"))
    kept = load_document(str(SHAPES / "web-page.txt"), keep_boilerplate=True)
    assert not any(s.role == "boilerplate" for s in plain.all_sentences())
    units = [s for s in kept.all_sentences() if s.role == "boilerplate"]
    assert len(units) == len(kept.meta["boilerplate"]) and any("版权所有" in s.text for s in units)


def test_gov_cn_page_with_a_menu_one_entry_a_line_and_a_metadata_block():
    doc = load_document(str(SHAPES / "gov-cn-page.txt"))
    assert doc.title.text == "国务院关于加快建立健全绿色低碳循环发展经济体系的指导意见"
    h = doc.header
    assert (h.doc_number, h.office, h.date) == ("国发〔2021〕4号", "国务院", "2021-02-02")
    assert (doc.footer.signer, doc.footer.sign_date) == ("国务院", "2021-02-02")
    assert [s.heading.text for s in doc.sections] == ["总体要求", "健全绿色低碳循环发展的生产体系"]
    assert [len(s.subsections) for s in doc.sections] == [3, 2]
    for word in ("个人中心", "无障碍", "索引号", "发文字号", "打印", "扫一扫", "国发〔2021〕4号"):
        assert not any(word in t for t in texts(doc)), word
    assert all(t not in ("|", "简", "繁", "EN", "国务院", "（此件公开发布）") for t in texts(doc))

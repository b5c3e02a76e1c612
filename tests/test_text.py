"""The plan text parses into the structure its table of contents and headings promise."""

import re
from collections import Counter

import pytest

from zhongyuan_kg.graph import text
from zhongyuan_kg.paths import PLAN_TEXT

SECTIONS_PER_CHAPTER = {1: 3, 2: 4, 3: 3, 4: 3, 5: 3, 6: 5, 7: 3, 8: 4, 9: 3, 10: 4}
PASSAGES_PER_BOX = {1: 3, 2: 6, 3: 6, 4: 12, 5: 6, 6: 3, 7: 5, 8: 9, 9: 5}
BOX_SECTION = {
    1: "plan/ch05/s01",
    2: "plan/ch05/s01",
    3: "plan/ch05/s01",
    4: "plan/ch06/s01",
    5: "plan/ch06/s02",
    6: "plan/ch06/s03",
    7: "plan/ch06/s04",
    8: "plan/ch07/s01",
    9: "plan/ch08/s01",
}


@pytest.fixture(scope="module")
def document() -> text.Document:
    return text.load()


def kinds(document: text.Document, kind: str) -> list[text.Part]:
    return [part for part in document.parts if part.kind == kind]


def test_ten_chapters_in_order(document):
    chapters = kinds(document, "Chapter")
    assert [chapter.path for chapter in chapters] == [f"plan/ch{n:02d}" for n in range(1, 11)]
    assert chapters[5].label_zh == "第六章 加快基础设施互联互通"  # its heading carried ** markup
    assert chapters[9].label_en == "Chapter 10: Organisation and Implementation"


def test_sections_per_chapter_match_the_table_of_contents(document):
    sections = Counter(part.parent for part in kinds(document, "Section"))
    assert sections == {f"plan/ch{n:02d}": count for n, count in SECTIONS_PER_CHAPTER.items()}
    # The same counts, read independently from the 目录 on lines 9–57.
    toc = PLAN_TEXT.read_text(encoding="utf-8").splitlines()[8:57]
    per_chapter: Counter[int] = Counter()
    chapter = 0
    for line in toc:
        if re.search(r"第.+章", line):
            chapter += 1
        elif re.search(r"第.节", line):
            per_chapter[chapter] += 1
    assert dict(per_chapter) == SECTIONS_PER_CHAPTER


def test_nine_boxes_each_inside_its_section(document):
    boxes = kinds(document, "Box")
    assert {box.ordinal: box.parent for box in boxes} == BOX_SECTION
    assert boxes[3].label_zh == "专栏 4：综合交通系统建设重点工程"
    passages = Counter(passage.parent for passage in document.passages)
    assert {box.ordinal: passages[box.path] for box in boxes} == PASSAGES_PER_BOX


def test_culture_box_heading_is_reconstructed(document):
    box = document.part("plan/box09")
    assert box.reconstructed and box.line == 0
    assert "标题缺失" in box.label_zh
    inside = [p.text.split("。")[0] for p in document.passages if p.parent == "plan/box09"]
    assert inside == [
        "文化遗产保护",
        "传统戏曲传承和传统工艺振兴",
        "文化传播能力建设",
        "公共文化设施建设",
        "全民阅读工程",
    ]


def test_body_resumes_after_boxes_without_closing_heading(document):
    section = [p for p in document.passages if p.parent == "plan/ch05/s01"]
    assert [p.text.split("。")[0] for p in section] == [
        "壮大先进制造业集群",
        "全国先进制造业发展",  # the page break split the first paragraph
        "培育战略性新兴产业集群",
        "加快发展现代服务业",
        "发展壮大现代农业集群",
        "等绿色高效农林产品生产基地",
    ]


def test_preface_figures_and_front_matter(document):
    assert [part.path for part in kinds(document, "Preface")] == ["plan/preface"]
    assert [(f.path, f.label_zh) for f in kinds(document, "Figure")] == [
        ("plan/fig01", "附图 1: 中原城市群空间布局示意图"),
        ("plan/fig02", "附图 2: 中原城市群生态网络示意图"),
    ]
    front = [(p.path, p.line, p.text) for p in document.passages if p.parent == "plan"]
    assert front == [
        ("plan/p01", 3, "附件"),
        ("plan/p02", 5, "中原城市群发展规划"),
        ("plan/p03", 7, "2016年12月"),
    ]


def test_passages_are_lines_without_markup(document):
    assert len(document.passages) == 207
    assert not [p for p in document.passages if re.search(r"\*\*|<b>|</b>|<sup>|</sup>", p.text)]
    footnote = document.at_line(341)
    assert (footnote.path, footnote.text[:8]) == ("plan/box04/p12", "1具体规划项目以")
    hub = document.at_line(313)
    assert (hub.path, hub.ordinal) == ("plan/ch06/s01/p07", 7)
    assert document.at_line(149).path == "plan/ch03/p01"  # before the chapter's first section
    assert document.at_line(29) is None  # the table of contents is not content


def test_a_quote_is_found_in_exactly_one_passage(document):
    found = document.containing("建设洛阳全国性枢纽")
    assert [p.path for p in found] == ["plan/ch06/s01/p07"]
    assert document.containing("馆藏文物均居全国前列") == []  # page breaks: quotes cannot span two

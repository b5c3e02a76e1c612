"""Parse the plan text into its structure: parts (chapters, sections, boxes …) and passages."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path

from zhongyuan_kg.paths import PLAN_TEXT

# The only markup the text carries; a passage's text is its line without it (FORMAT.md).
MARKUP = re.compile(r"\*\*|</?b>|</?sup>")
HEADING_HASHES = re.compile(r"^#+\s*")

CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHAPTER = re.compile(r"^第([一二三四五六七八九十]+)章\s*(.+)$")
SECTION = re.compile(r"^第([一二三四五六七八九十]+)节\s*(.+)$")
BOX = re.compile(r"^专栏\s*(\d+)[：:]\s*(.+)$")
FIGURE = re.compile(r"^附图\s*(\d+)[：:]\s*(.+)$")
PREFACE = re.compile(r"^前\s*言$")
CONTENTS = re.compile(r"^目\s*录$")

# Boxes 1–3 have no closing heading: the section's own text resumes after them with a paragraph
# whose bold lead names the next topic of the section, not an item of the box.
BODY_RESUMES = frozenset(
    {"培育战略性新兴产业集群。", "加快发展现代服务业。", "发展壮大现代农业集群。"}
)
# The culture box of 第八章第一节 lost its heading in the extraction; it starts with this item.
LOST_BOX_LEAD = "文化遗产保护。"
LOST_BOX_NUMBER = 9
LEAD = re.compile(r"^\*\*(.+?)\*\*")

PLAN_TITLE_ZH = "中原城市群发展规划"
PLAN_TITLE_EN = "Central Plains Urban Agglomeration Development Plan"

CHAPTER_EN = {
    1: "Planning Background",
    2: "General Requirements",
    3: "Spatial Layout",
    4: "Strengthening the Support of the Regional Innovation System",
    5: "Deepening the Industrial Division of Labour and Cooperation",
    6: "Accelerating the Interconnection of Infrastructure",
    7: "Jointly Protecting and Governing the Ecological Environment",
    8: "Promoting the Joint Building and Sharing of Public Services",
    9: "Comprehensively Raising the Level of Opening-up at Home and Abroad",
    10: "Organisation and Implementation",
}

SECTION_EN = {
    (1, 1): "Development Foundations",
    (1, 2): "Opportunities and Challenges",
    (1, 3): "Significance",
    (2, 1): "Guiding Thought",
    (2, 2): "Strategic Positioning",
    (2, 3): "Development Paths",
    (2, 4): "Main Goals",
    (3, 1): "Building the Networked Spatial Pattern of “One Core, Four Axes, Four Zones”",
    (3, 2): "Improving the Urban System of the Agglomeration",
    (3, 3): "Aligning the Distribution of Population with Main Functional Zoning",
    (4, 1): "Optimising the Regional Pattern of Innovation",
    (4, 2): "Improving the Environment for Entrepreneurship and Innovation",
    (4, 3): "Raising the Level of Open Innovation",
    (5, 1): "Building Competitive Industrial Clusters",
    (5, 2): "Taking on Industrial Transfer at a High Level",
    (5, 3): "Improving the Mechanisms of Industrial Coordination",
    (6, 1): "Building a Modern Integrated Transport System",
    (6, 2): "Building an Efficient and Ubiquitous Information Network System",
    (6, 3): "Improving the Modern Energy Support System",
    (6, 4): "Strengthening the Support Capacity of Water Conservancy",
    (6, 5): "Improving the Urban Infrastructure System",
    (7, 1): "Jointly Building Ecological Barriers",
    (7, 2): "Advancing Joint Environmental Governance",
    (7, 3): "Building Green Cities",
    (8, 1): "Promoting Cultural Prosperity",
    (8, 2): "Jointly Building a Healthy Central Plains",
    (8, 3): "Jointly Building a Highland of Human Resources",
    (8, 4): "Linking Up Social Security",
    (9, 1): "Taking an Active Part in the Belt and Road Initiative",
    (9, 2): "Building Platforms for Opening-up and Cooperation",
    (9, 3): "Deepening Regional Exchange and Cooperation",
    (10, 1): "Fulfilling the Principal Responsibilities",
    (10, 2): "Strengthening Policy Support",
    (10, 3): "Improving Institutions and Mechanisms",
    (10, 4): "Strengthening Supervision and Inspection",
}

BOX_EN = {
    1: "Advanced Manufacturing Industry Clusters",
    2: "Development Priorities of Strategic Emerging Industries",
    3: "Development Priorities of Modern Services",
    4: "Key Projects of the Integrated Transport System",
    5: "Key Informatisation Projects",
    6: "Key Projects of Energy Support and Supply Security",
    7: "Key Water Conservancy Projects",
    8: "Building the “Three Barriers and Four Corridors” Ecological Network",
    9: "Key Cultural Projects (heading reconstructed: it is missing from the text)",
}
LOST_BOX_ZH = "专栏 9：文化建设重点工程（标题缺失，据内容重建）"

FIGURE_EN = {
    1: "Schematic Map of the Spatial Layout of the Central Plains Urban Agglomeration",
    2: "Schematic Map of the Ecological Network of the Central Plains Urban Agglomeration",
}


@dataclass(frozen=True)
class Part:
    """A structural unit: the plan itself, the preface, a chapter, section, box or figure."""

    path: str  # IRI path under the instance base: "plan/ch06/s01"
    kind: str  # the zy: class name
    ordinal: int
    label_zh: str
    label_en: str
    parent: str | None
    line: int  # the heading's line (0 where the heading is missing from the text)
    reconstructed: bool = False
    short_zh: str = ""  # how a passage label names the part: "第六章第一节", "专栏 4"
    short_en: str = ""


@dataclass(frozen=True)
class Passage:
    """One paragraph (one non-empty line) of the text, inside exactly one part."""

    path: str
    parent: str
    ordinal: int
    line: int
    text: str


@dataclass(frozen=True)
class Document:
    """The whole plan: its parts in reading order and its passages in line order."""

    parts: tuple[Part, ...]
    passages: tuple[Passage, ...]

    def containing(self, quote: str) -> list[Passage]:
        """The passages whose text contains the quote verbatim."""
        return [passage for passage in self.passages if quote in passage.text]

    def at_line(self, line: int) -> Passage | None:
        """The passage on a given line of the source file, if that line is one."""
        return self._by_line.get(line)

    @cached_property
    def _by_line(self) -> dict[int, Passage]:
        return {passage.line: passage for passage in self.passages}

    def part(self, path: str) -> Part:
        """The part with this IRI path."""
        return next(part for part in self.parts if part.path == path)


def strip_markup(line: str) -> str:
    """A line without the markup the extraction left (bold, sup, heading hashes, end spaces)."""
    return MARKUP.sub("", HEADING_HASHES.sub("", line)).strip()


def chinese_number(numeral: str) -> int:
    """The value of a Chinese numeral from 一 to 九十九 (enough for chapters and sections)."""
    if "十" not in numeral:
        return CHINESE_NUMERALS[numeral]
    tens, _, units = numeral.partition("十")
    return CHINESE_NUMERALS.get(tens, 1) * 10 + CHINESE_NUMERALS.get(units, 0)


class _Reader:
    """Walks the lines once, tracking the open chapter, section and box."""

    def __init__(self) -> None:
        title_page = Part("plan", "Plan", 0, PLAN_TITLE_ZH, PLAN_TITLE_EN, None, 0)
        self.parts: list[Part] = [replace(title_page, short_zh="扉页", short_en="Title page")]
        self.passages: list[Passage] = []
        self.chapter: Part | None = None
        self.section: Part | None = None
        self.box: Part | None = None
        self.container: str = "plan"
        self.counts: dict[str, int] = {}

    def open(self, part: Part) -> None:
        self.parts.append(part)
        self.container = part.path

    def add_passage(self, line: int, text: str) -> None:
        if self.container == "plan" and text == PLAN_TITLE_ZH:
            self.parts[0] = replace(self.parts[0], line=line)  # the plan's heading is its title
        ordinal = self.counts.get(self.container, 0) + 1
        self.counts[self.container] = ordinal
        path = f"{self.container}/p{ordinal:02d}"
        self.passages.append(Passage(path, self.container, ordinal, line, text))

    def heading(self, line: int, text: str) -> bool:
        """Open the part a heading line names; False if the line names no part."""
        if PREFACE.match(text):
            preface = Part("plan/preface", "Preface", 0, "前言", "Preface", "plan", line)
            self.open(replace(preface, short_zh="前言", short_en="Preface"))
        elif match := CHAPTER.match(text):
            number = chinese_number(match[1])
            self.chapter = Part(
                f"plan/ch{number:02d}",
                "Chapter",
                number,
                f"第{match[1]}章 {match[2]}",
                f"Chapter {number}: {CHAPTER_EN[number]}",
                "plan",
                line,
                short_zh=f"第{match[1]}章",
                short_en=f"Chapter {number}",
            )
            self.section = self.box = None
            self.open(self.chapter)
        elif (match := SECTION.match(text)) and self.chapter:
            number, chapter = chinese_number(match[1]), self.chapter.ordinal
            self.section = Part(
                f"{self.chapter.path}/s{number:02d}",
                "Section",
                number,
                f"第{match[1]}节 {match[2]}",
                f"Chapter {chapter}, Section {number}: {SECTION_EN[chapter, number]}",
                self.chapter.path,
                line,
                short_zh=f"{self.chapter.short_zh}第{match[1]}节",
                short_en=f"Chapter {chapter}, Section {number}",
            )
            self.box = None
            self.open(self.section)
        elif match := BOX.match(text):
            number = int(match[1])
            self.open_box(number, f"专栏 {number}：{match[2]}", line, reconstructed=False)
        elif match := FIGURE.match(text):
            number = int(match[1])
            self.chapter = self.section = self.box = None
            self.open(
                Part(
                    f"plan/fig{number:02d}",
                    "Figure",
                    number,
                    text,
                    f"Figure {number}: {FIGURE_EN[number]}",
                    "plan",
                    line,
                    short_zh=f"附图 {number}",
                    short_en=f"Figure {number}",
                )
            )
            # The figure's title is the only text the figure has: it is its one passage.
            self.add_passage(line, text)
        else:
            return False
        return True

    def open_box(self, number: int, label_zh: str, line: int, *, reconstructed: bool) -> None:
        home = self.section or self.chapter
        assert home is not None, f"专栏 {number} outside any chapter (line {line})"
        self.box = Part(
            f"plan/box{number:02d}",
            "Box",
            number,
            label_zh,
            f"Box {number}: {BOX_EN[number]}",
            home.path,
            line,
            reconstructed,
            short_zh=f"专栏 {number}",
            short_en=f"Box {number}",
        )
        self.open(self.box)

    def paragraph(self, line: int, raw: str, text: str) -> None:
        lead = LEAD.match(raw)
        if lead and lead[1] == LOST_BOX_LEAD:
            # Heading lost in the extraction: the box has no line of its own.
            self.open_box(LOST_BOX_NUMBER, LOST_BOX_ZH, 0, reconstructed=True)
        elif self.box and lead and lead[1] in BODY_RESUMES:
            self.box = None
            home = self.section or self.chapter
            assert home is not None
            self.container = home.path
        self.add_passage(line, text)


def parse(text: str) -> Document:
    """The document structure of the plan text."""
    reader = _Reader()
    in_contents = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = strip_markup(raw)
        if not line:
            continue
        if CONTENTS.match(line):
            in_contents = True  # the table of contents is not content: skip to the preface
            continue
        if in_contents and not PREFACE.match(line):
            continue
        in_contents = False
        if not reader.heading(number, line):
            reader.paragraph(number, raw, line)
    return Document(tuple(reader.parts), tuple(reader.passages))


def load(path: Path = PLAN_TEXT) -> Document:
    """The document structure of the plan file (cached per path and content)."""
    return _parse_cached(path.read_text(encoding="utf-8"))


@cache
def _parse_cached(text: str) -> Document:
    return parse(text)

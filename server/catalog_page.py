"""The `/queries` page for people: each saved query, its parameters and values, and its links."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import render_template

from ..queries.allowed import Allowed, allowed_values
from ..queries.catalog import Param, SavedQuery
from ..queries.params import CandidateSource
from .i18n import current

# The page's own words (the shared ones come from i18n.WORDS through `w`).
TEXTS: dict[str, tuple[str, str]] = {
    "intro": (
        "每个保存的查询都是向规划提出的一个问题。可在查询编辑器中打开（带参数表单和结果表格），"
        "或直接下载结果。",
        "Each saved query is one question to the plan. Open it in the query editor (with a "
        "parameter form and a results table) or download its results directly.",
    ),
    "open": ("在编辑器中打开并运行", "Open and run in the editor"),
    "results": ("结果", "Results"),
    "no_params": ("无参数。", "No parameters."),
    "list": ("可多值", "several values"),
    "required": ("必填", "required"),
    "default": ("默认", "default"),
    "examples": ("示例", "examples"),
    "allowed": ("可选值", "allowed values"),
    "open_set": (
        "可选值太多，不逐一列出：输入名称、id 或 IRI。",
        "Too many to list: give a name, an id or an IRI.",
    ),
    "typed": ("类型", "type"),
    "json_list": ("本列表的 JSON", "This list as JSON"),
}
DOWNLOADS = ("csv", "json", "tsv", "xml")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class ValueView:
    """One allowed value as the page shows it."""

    label: str
    short: str


@dataclass(frozen=True)
class ParamView:
    """One parameter as the page shows it."""

    name: str
    type: str
    many: bool
    required: bool
    default: tuple[str, ...]
    examples: tuple[str, ...]
    description: str
    allowed: tuple[ValueView, ...] | None  # None: an open set (or not an IRI parameter)


@dataclass(frozen=True)
class QueryView:
    """One saved query as the page shows it, in the page language."""

    name: str
    title: str
    other_title: str
    description: str
    params: tuple[ParamView, ...]
    editor: str
    downloads: tuple[tuple[str, str], ...]  # (format, URL)


def label_in(labels: Sequence[str], lang: str, fallback: str) -> str:
    """The first label in the language: Chinese labels are told apart by their characters."""
    # Candidates carry labels zh first, then en, without language tags.
    wanted = [label for label in labels if bool(_CJK.search(label)) == (lang == "zh")]
    return (wanted or list(labels) or [fallback])[0]


def _values(allowed: Iterable[Allowed], lang: str) -> tuple[ValueView, ...]:
    views = (ValueView(label_in(value.labels, lang, value.short), value.short) for value in allowed)
    return tuple(sorted(views, key=lambda view: view.label))


def _param_view(param: Param, source: CandidateSource, base: str, lang: str) -> ParamView:
    allowed = allowed_values(param, source, base)
    return ParamView(
        name=param.name,
        type=param.type,
        many=param.many,
        required=param.required,
        default=param.default,
        examples=param.examples,
        description=param.description.get(lang, ""),
        allowed=None if allowed is None else _values(allowed, lang),
    )


def query_view(query: SavedQuery, source: CandidateSource, base: str, lang: str) -> QueryView:
    """What the page says about one saved query in the given language."""
    other = "en" if lang == "zh" else "zh"
    run = f"/queries/{query.name}"
    return QueryView(
        name=query.name,
        title=query.title[lang],
        other_title=query.title[other],
        description=query.description[lang],
        params=tuple(_param_view(param, source, base, lang) for param in query.params),
        editor="/query?" + urlencode({"saved": query.name}),
        downloads=tuple((name, f"{run}?{urlencode({'format': name})}") for name in DOWNLOADS),
    )


def render_catalog_page(queries: Iterable[SavedQuery], source: CandidateSource, base: str) -> str:
    """The HTML catalog in the request's language."""
    lang = current()
    return render_template(
        "pages/queries.html",
        queries=[query_view(query, source, base, lang) for query in queries],
        t=lambda key: TEXTS[key][1 if lang == "en" else 0],
    )

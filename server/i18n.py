"""The page language (zh or en, from `?lang=` then a cookie) and the pages' own words in both."""

from __future__ import annotations

from flask import Response, request

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
COOKIE = "lang"

WORDS: dict[str, tuple[str, str]] = {
    "site": (
        "中原城市群发展规划知识图谱",
        "Central Plains Urban Agglomeration Plan knowledge graph",
    ),
    "home": ("首页", "Home"),
    "query": ("查询", "Query"),
    "map": ("地图", "Map"),
    "plan": ("规划文本", "Plan text"),
    "ontology": ("本体", "Ontology"),
    "search": ("搜索", "Search"),
    "search_hint": ("按名称搜索", "Search by name"),
    "switch": ("English", "中文"),
    "types": ("类型", "Types"),
    "properties": ("属性", "Properties"),
    "incoming": ("被引用", "Links to it"),
    "sources": ("出处", "Source in the plan"),
    "inferred": ("推理", "inferred"),
    "data": ("数据", "Data"),
    "location": ("位置", "Location"),
    "text": ("正文", "Text"),
    "derived": ("由此段得出", "Derived from this passage"),
    "contents": ("目录", "Contents"),
    "not_found": ("未找到", "Not found"),
    "not_found_text": ("图谱中没有这个资源。", "The graph holds no such resource."),
    "results": ("结果", "Results"),
    "no_results": ("没有结果。", "No results."),
    "holds": ("图谱内容", "What the graph holds"),
    "class": ("类", "Class"),
    "count": ("数量", "Count"),
    "graphs": ("命名图", "Named graphs"),
    "triples": ("三元组", "Triples"),
    "built": ("构建时间", "Built"),
    "licence": ("许可", "Licence"),
    "saved": ("保存的查询", "Saved queries"),
    "downloads": ("下载", "Downloads"),
    "machine": ("机器可读", "Machine-readable"),
    "run": ("运行", "Run"),
    "prefixes": ("已声明的前缀", "Declared prefixes"),
    "editor": ("SPARQL 查询", "SPARQL query"),
    "share": ("分享链接", "Share link"),
    "table": ("表格", "Table"),
    "core": ("核心发展区", "Core development area"),
    "linked": ("联动辐射区", "Linked radiation area"),
    "axes": ("发展轴", "Development axes"),
    "metropolitan": ("郑州大都市区", "Zhengzhou metropolitan area"),
    "projects": ("项目", "Projects"),
    "layers": ("图层", "Layers"),
    "cities": ("城市", "Cities"),
    "parameters": ("参数", "Parameters"),
    "passage": ("段落", "Passage"),
    "line": ("行", "line"),
}


def current() -> str:
    """The language of this request: `?lang=`, else the cookie, else Chinese."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    kept = request.cookies.get(COOKIE)
    return kept if kept in LANGUAGES else DEFAULT


def word(key: str, lang: str) -> str:
    """One of the pages' own words in the given language."""
    zh, en = WORDS[key]
    return en if lang == "en" else zh


def remember(response: Response) -> Response:
    """Keep a language chosen by `?lang=` in a cookie for the next pages."""
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
    return response

# ruff: noqa: E501 — HTML lines read better unbroken.
"""The Jinja2 template of the ontology's HTML page (kept in Python so it ships with the package)."""

TEMPLATE = """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ header.title_zh }} · {{ header.title_en }}</title>
<style>
body { font-family: system-ui, "Noto Sans CJK SC", sans-serif; max-width: 70rem; margin: 0 auto;
       padding: 1rem 2rem; line-height: 1.5; color: #1b1b1b; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 2px solid #ccc; margin-top: 2.5rem; }
section.term { border-top: 1px solid #e3e3e3; padding: .5rem 0 .8rem; }
section.term h3 { margin: .3rem 0; font-size: 1.1rem; }
section.term h3 .zh { margin-left: .6rem; color: #444; }
.iri { color: #666; font-size: .85rem; word-break: break-all; }
.defined { background: #eef6ee; border-radius: 3px; padding: 0 .3rem; font-size: .8rem; }
table.facts { border-collapse: collapse; margin-top: .3rem; font-size: .92rem; }
table.facts th { text-align: left; font-weight: normal; color: #555; padding-right: 1rem;
                 vertical-align: top; white-space: nowrap; }
nav ul { columns: 3; font-size: .9rem; } code { font-size: .9em; }
:target { background: #fff8d6; }
</style>
</head>
<body>
<header>
<h1>{{ header.title_zh }}<br>{{ header.title_en }}</h1>
<p>{{ header.description_zh }}</p>
<p>{{ header.description_en }}</p>
<table class="facts">
<tr><th>IRI</th><td><code>{{ header.iri }}</code></td></tr>
<tr><th>Version · 版本</th><td>{{ header.version }} (<code>{{ header.version_iri }}</code>)</td></tr>
<tr><th>Licence · 许可</th><td><a href="{{ header.license }}">{{ header.license }}</a></td></tr>
<tr><th>Creator · 创建者</th><td>{{ header.creator }}</td></tr>
<tr><th>Created · 创建</th><td>{{ header.created }}</td></tr>
<tr><th>Modified · 修改</th><td>{{ header.modified }}</td></tr>
<tr><th>Prefixes · 前缀</th><td>{% for prefix, iri in prefixes %}<code>{{ prefix }}:</code> {{ iri }}{% if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
</table>
</header>
<nav>
<h2>Contents · 目录</h2>
{% for kind, terms in groups.items() if terms %}
<h3><a href="#{{ kind }}-terms">{{ titles[kind][0] }} · {{ titles[kind][1] }}</a> ({{ terms|length }})</h3>
<ul>
{% for term in terms %}
<li><a href="#{{ term.anchor }}">{{ term.name }}</a> {{ term.zh }}</li>
{% endfor %}
</ul>
{% endfor %}
</nav>
<main>
{% for kind, terms in groups.items() if terms %}
<h2 id="{{ kind }}-terms">{{ titles[kind][0] }} · {{ titles[kind][1] }}</h2>
{% for term in terms %}
<section class="term" id="{{ term.anchor }}">
<h3>{{ term.en }}<span class="zh">{{ term.zh }}</span>{% if term.defined %} <span class="defined">defined · 定义类</span>{% endif %}</h3>
<div class="iri"><code>{{ term.name }}</code> · {{ term.iri }}</div>
<p>{{ term.definition_en }}</p>
<p lang="zh">{{ term.definition_zh }}</p>
{% if term.facts %}
<table class="facts">
{% for title, value in term.facts %}
<tr><th>{{ title }}</th><td>{{ value }}</td></tr>
{% endfor %}
</table>
{% endif %}
</section>
{% endfor %}
{% endfor %}
</main>
</body>
</html>
"""

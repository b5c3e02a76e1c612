// The query UI: saved-query gallery with parameter forms, the editor, results as a table or map.
"use strict";
(function () {
  const lang = document.body.dataset.lang || "zh";
  const other = lang === "zh" ? "en" : "zh";
  const base = document.body.dataset.base || "";
  const SITE = base.replace(/id\/$/, "");
  const JSON_RESULTS = "application/sparql-results+json";
  const ACCEPT = JSON_RESULTS + ", text/turtle;q=0.9";
  const WKT = "http://www.opengis.net/ont/geosparql#wktLiteral";
  const $ = (id) => document.getElementById(id);
  const textarea = $("editor-text");
  const refresh = window.SparqlHighlight.attach(textarea, $("editor-highlight"));
  let catalog = [];
  let chosen = null;   // the saved query shown in the editor, while its text is unchanged
  let savedText = null;

  const pick = (labels) => (labels && (labels[lang] || labels[other])) || "";
  const hasHan = (text) => /[\u3400-\u9fff]/.test(text);

  function localHref(iri) {
    if (base && iri.startsWith(base)) return "/id/" + iri.slice(base.length);
    if (iri.startsWith(SITE + "vocab/")) return "/vocab/" + iri.slice((SITE + "vocab/").length);
    if (iri.startsWith(SITE + "ontology#")) return "/ontology#" + iri.slice((SITE + "ontology#").length);
    return /^https?:\/\//.test(iri) ? iri : null;
  }

  function choiceLabel(labels) {
    const wanted = labels.find((l) => hasHan(l) === (lang === "zh"));
    return wanted || labels[0] || "";
  }

  function savedMode() {
    return chosen !== null && textarea.value === savedText;
  }

  function paramPairs() {
    const pairs = [];
    for (const field of $("params").elements) {
      if (!field.name) continue;
      const values = field.multiple
        ? Array.from(field.selectedOptions).map((o) => o.value) : [field.value];
      for (const value of values) if (value !== "") pairs.push([field.name, value]);
    }
    return pairs;
  }

  function resultUrl(format) {
    const params = new URLSearchParams(savedMode() ? paramPairs() : [["query", textarea.value]]);
    if (format) params.append("format", format);
    return (savedMode() ? "/queries/" + encodeURIComponent(chosen.name) : "/sparql") + "?" + params;
  }

  function shareUrl() {
    const params = savedMode()
      ? new URLSearchParams([["saved", chosen.name], ...paramPairs()])
      : new URLSearchParams([["query", textarea.value]]);
    return "/query?" + params;
  }

  function remember() {
    const url = shareUrl();
    history.replaceState(null, "", url);
    $("share").href = url;
    const switcher = document.getElementById("lang-switch");
    if (switcher) switcher.href = url + "&lang=" + other;
  }

  function renderParams(values) {
    const form = $("params");
    form.replaceChildren();
    const params = chosen ? chosen.parameters : [];
    form.hidden = params.length === 0;
    for (const param of params) {
      const row = document.createElement("label");
      row.append(`${param.name} — ${pick(param.description)} `);
      const given = values ? values.getAll(param.name) : [];
      let field;
      if (param.allowed) {
        field = document.createElement("select");
        field.multiple = param.list;
        if (!param.list) field.append(new Option("—", ""));
        for (const choice of param.allowed) {
          const option = new Option(choiceLabel(choice.labels), choice.id);
          option.selected = given.includes(choice.id) || given.includes(choice.iri) ||
            choice.labels.some((l) => given.includes(l));
          field.append(option);
        }
        if (param.list) field.size = Math.min(6, param.allowed.length);
      } else {
        field = document.createElement("input");
        field.value = given[0] || "";
        field.placeholder = (param.examples || []).join(" · ");
      }
      field.name = param.name;
      row.append(field);
      form.append(row);
    }
  }

  async function choose(name, values) {
    chosen = catalog.find((q) => q.name === name) || null;
    for (const button of $("gallery").querySelectorAll("button")) {
      button.classList.toggle("active", button.dataset.name === name);
    }
    if (!chosen) return;
    const response = await fetch("/query/saved/" + encodeURIComponent(name) + ".rq");
    savedText = await response.text();
    textarea.value = savedText;
    refresh();
    $("saved-description").textContent = pick(chosen.description);
    renderParams(values);
  }

  async function loadCatalog() {
    const response = await fetch("/queries", { headers: { Accept: "application/json" } });
    catalog = (await response.json()).queries;
    const gallery = $("gallery");
    for (const query of catalog) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.name = query.name;
      button.textContent = pick(query.title);
      button.title = pick(query.description);
      button.addEventListener("click", () => choose(query.name).then(run));
      item.append(button);
      gallery.append(item);
    }
  }

  function cell(term, labelTerm) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const target = localHref(term.value);
      const shown = labelTerm ? labelTerm.value : term.value;
      if (target) {
        const link = document.createElement("a");
        link.href = target;
        link.textContent = shown;
        link.title = term.value;
        td.append(link);
      } else td.textContent = shown;
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.lang = term["xml:lang"];
    }
    return td;
  }

  // Which columns to show: a `x_zh`/`x_en` pair follows the page language; a URI column with
  // such a label pair shows the label as its link text.
  function columns(vars, rows) {
    const isUri = (v) => rows.some((r) => r[v] && r[v].type === "uri");
    const shown = [];
    for (const v of vars) {
      const match = v.match(/^(.*)_(zh|en)$/);
      if (match && vars.includes(match[1])) {
        if (match[2] === lang && !isUri(match[1])) shown.push({ name: v, key: match[1] });
        continue;
      }
      if (vars.includes(v + "_" + lang) && !isUri(v)) continue;
      shown.push({ name: v, key: v, label: vars.includes(v + "_" + lang) ? v + "_" + lang : null });
    }
    return shown;
  }

  function renderTable(json) {
    const results = $("results");
    results.replaceChildren();
    if (json.boolean !== undefined) {
      results.textContent = String(json.boolean);
      return 1;
    }
    const rows = json.results.bindings;
    const shown = columns(json.head.vars, rows);
    const table = document.createElement("table");
    table.className = "results";
    table.id = "result-table";
    const head = table.createTHead().insertRow();
    for (const column of shown) {
      const th = document.createElement("th");
      th.textContent = column.key;
      head.append(th);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const column of shown) {
        const td = cell(row[column.name], column.label ? row[column.label] : null);
        td.dataset.var = column.key;
        tr.append(td);
      }
    }
    results.append(table);
    renderMap(json.head.vars, rows, shown);
    return rows.length;
  }

  function coordinates(vars, row) {
    const latVar = vars.find((v) => /(^|_)lat(itude)?$/i.test(v));
    const longVar = vars.find((v) => /(^|_)(long|lng|lon|longitude)$/i.test(v));
    if (latVar && longVar && row[latVar] && row[longVar]) {
      return { long: parseFloat(row[longVar].value), lat: parseFloat(row[latVar].value) };
    }
    for (const v of vars) {
      const term = row[v];
      const point = term && term.datatype === WKT && term.value.match(/POINT\s*\(\s*([-\d.]+)\s+([-\d.]+)/i);
      if (point) return { long: parseFloat(point[1]), lat: parseFloat(point[2]) };
    }
    return null;
  }

  function renderMap(vars, rows, shown) {
    const box = $("result-map");
    const points = [];
    const named = shown.find((c) => rows.some((r) => r[c.name] && r[c.name].type === "uri"));
    for (const row of rows) {
      const at = coordinates(vars, row);
      if (!at || Number.isNaN(at.lat) || Number.isNaN(at.long)) continue;
      const term = named ? row[named.name] : null;
      const label = named && named.label && row[named.label] ? row[named.label].value : (term ? term.value : "");
      points.push({ ...at, iri: term && term.type === "uri" ? term.value : null, label: label });
    }
    box.hidden = points.length === 0;
    if (!points.length) return;
    const map = window.SvgMap.create(box, points, 700);
    const layer = map.layer("points");
    for (const point of points) {
      const [x, y] = map.project(point.long, point.lat);
      const target = point.iri ? localHref(point.iri) : null;
      const parent = target ? window.SvgMap.element("a", { href: target }, layer) : layer;
      const dot = window.SvgMap.element("circle", { cx: x, cy: y, r: 6, fill: "#c0392b",
        stroke: "#fff", "stroke-width": 1.5, class: "result-point" }, parent);
      window.SvgMap.element("title", {}, dot).textContent = point.label;
    }
  }

  function renderDownloads(formats) {
    const holder = $("downloads");
    holder.replaceChildren();
    for (const format of formats) {
      const link = document.createElement("a");
      link.href = resultUrl(format);
      link.textContent = format.toUpperCase();
      link.className = "download";
      link.setAttribute("download", "");
      holder.append(link, " ");
    }
  }

  async function run() {
    $("error").hidden = true;
    $("status").textContent = "…";
    remember();
    const started = performance.now();
    const response = savedMode()
      ? await fetch(resultUrl(), { headers: { Accept: ACCEPT } })
      : await fetch("/sparql", {
        method: "POST", headers: { Accept: ACCEPT },
        body: new URLSearchParams([["query", textarea.value]]),
      });
    const body = await response.text();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      $("results").replaceChildren();
      $("result-map").hidden = true;
      $("error").textContent = body;
      $("error").hidden = false;
      $("status").textContent = "";
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    let count;
    if (type.startsWith(JSON_RESULTS)) {
      count = renderTable(JSON.parse(body));
      renderDownloads(["json", "xml", "csv", "tsv"]);
    } else {
      const pre = document.createElement("pre");
      pre.textContent = body;
      $("results").replaceChildren(pre);
      $("result-map").hidden = true;
      count = Number(response.headers.get("X-Result-Rows") || 0);
      renderDownloads(["ttl", "nt", "jsonld", "rdfxml"]);
    }
    $("status").textContent = `${count} · ${seconds} s`;
    $("results").dataset.ready = "true";
  }

  $("run").addEventListener("click", run);
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
  textarea.addEventListener("input", () => { if (!savedMode()) remember(); });
  $("params").addEventListener("change", remember);

  const start = new URLSearchParams(location.search);
  loadCatalog().then(async () => {
    if (start.get("saved")) {
      await choose(start.get("saved"), start);
      await run();
    } else if (start.get("query")) {
      textarea.value = start.get("query");
      refresh();
      await run();
    }
    document.body.dataset.ready = "true";
  });
})();

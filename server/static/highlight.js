// SPARQL syntax highlighting: a tokenizer whose spans are drawn under a transparent textarea.
"use strict";
(function (global) {
  const KEYWORDS = new Set(("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT " +
    "REDUCED OPTIONAL UNION MINUS GRAPH FILTER BIND VALUES AS ORDER BY ASC DESC LIMIT OFFSET " +
    "GROUP HAVING COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR NOT EXISTS IN STR LANG " +
    "LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE " +
    "LCASE CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER REPLACE REGEX YEAR NOW COALESCE IF " +
    "ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC SAMETERM TRUE FALSE SERVICE SILENT A").split(" "));
  // Order matters: comments and strings first so that their contents are not read as code.
  const TOKEN = new RegExp([
    "(#[^\\n]*)",                                              // 1 comment
    "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')", // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                                // 3 IRI
    "([?$][A-Za-z0-9_\\u00C0-\\uFFFF]+)",                      // 4 variable
    "([A-Za-z][\\w.-]*:[\\w.:%-]*|:[\\w.:%-]+)",               // 5 prefixed name
    "(\\b\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?\\b)",              // 6 number
    "([A-Za-z_]+)",                                            // 7 word
  ].join("|"), "g");
  const CLASSES = [null, "tok-comment", "tok-string", "tok-iri", "tok-var", "tok-pname", "tok-number"];

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // The highlighted HTML of a query text (every piece of the text escaped).
  function highlight(text) {
    let out = "", last = 0, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      out += escape(text.slice(last, match.index));
      let kind = CLASSES.findIndex((_, i) => i > 0 && match[i] !== undefined);
      let cls = kind > 0 ? CLASSES[kind] : null;
      if (match[7] !== undefined && KEYWORDS.has(match[7].toUpperCase())) cls = "tok-keyword";
      out += cls ? `<span class="${cls}">${escape(match[0])}</span>` : escape(match[0]);
      last = TOKEN.lastIndex;
    }
    return out + escape(text.slice(last)) + "\n";
  }

  // Keep a <pre> under the textarea in step with what is typed and scrolled.
  function attach(textarea, pre) {
    const update = () => { pre.innerHTML = highlight(textarea.value); };
    const scroll = () => { pre.scrollTop = textarea.scrollTop; pre.scrollLeft = textarea.scrollLeft; };
    textarea.addEventListener("input", update);
    textarea.addEventListener("scroll", scroll);
    update();
    return update;
  }

  global.SparqlHighlight = { highlight: highlight, attach: attach };
})(window);

"""The ceiling: a Flask route that answers a fixed SPARQL JSON body, under the same WSGI server."""

from __future__ import annotations

from flask import Flask, Response

BODY = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'

app = Flask(__name__)


@app.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """Answer every request with the same empty result, doing no work at all."""
    return Response(BODY, content_type="application/sparql-results+json")

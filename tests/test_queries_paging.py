"""Paging parameters become LIMIT/OFFSET and Link headers; bad ones are refused."""

from __future__ import annotations

import pytest

from zhongyuan_kg.queries.paging import Page, link_header, read_page
from zhongyuan_kg.queries.params import ParamError


def test_no_paging_parameter_means_the_whole_result():
    assert read_page({"axis": ["axis/longhai"]}) is None


def test_page_and_per_page_become_limit_and_offset():
    assert read_page({"limit": ["0" * 5000 + "5"], "offset": ["010"]}) == Page(5, 10)
    assert read_page({"page": ["3"], "per_page": ["20"]}) == Page(20, 40)
    assert read_page({"page": ["2"]}) == Page(100, 100)
    assert read_page({"limit": ["5"], "offset": ["10"]}) == Page(5, 10)
    assert read_page({"offset": ["7"]}) == Page(100, 7)


@pytest.mark.parametrize(
    "given",
    [
        {"limit": ["0"]},
        {"limit": ["-1"]},
        {"limit": ["10001"]},
        {"page": ["0"]},
        {"limit": ["5 ; DROP ALL"]},
        {"offset": ["1e3"]},
        {"limit": ["5", "6"]},
        {"limit": ["5"], "page": ["2"]},
        {"limit": ["¹"]},  # a digit to str.isdigit(), not to int() (found by the fuzz test)
        {"page": ["٣"]},  # a decimal digit to int(), but not one a URL parameter should use
        {"limit": ["1" * 5000]},  # int() raises past 4,300 digits (a 500 once)
        {"offset": ["9" * 5000]},
    ],
)
def test_bad_paging_is_refused(given):
    with pytest.raises(ParamError):
        read_page(given)


def test_the_slice_is_appended_as_the_outermost_limit_and_offset():
    assert Page(5, 10).apply("SELECT * WHERE { ?s ?p ?o }\n").endswith("\nLIMIT 5\nOFFSET 10\n")


def test_link_header_names_first_prev_and_next_and_keeps_other_parameters():
    header = link_header(
        "http://127.0.0.1/queries/inland-ports",
        [("province", "安徽"), ("page", "2"), ("per_page", "5")],
        Page(5, 5),
        more=True,
    )
    links = dict(
        (part.split("; ")[1], part.split("; ")[0].strip("<>")) for part in header.split(", ")
    )
    assert set(links) == {'rel="first"', 'rel="prev"', 'rel="next"'}
    assert links['rel="next"'].endswith("province=%E5%AE%89%E5%BE%BD&limit=5&offset=10")
    assert links['rel="prev"'].endswith("limit=5&offset=0")
    assert "page=" not in header


def test_the_last_page_has_no_next_link():
    header = link_header("http://x/queries/q", [], Page(5, 0), more=False)
    assert 'rel="next"' not in header and 'rel="prev"' not in header

"""The pages in headless Chromium (Debian's, driven by Playwright): what a reader sees and does."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright
from server_fixtures import LiveServer

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.paths import project_root
from zhongyuan_kg.queries.local import DATASET_FILE

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = project_root() / "test-artifacts"
METROPOLITAN_MEMBERS = {"郑州", "开封", "新乡", "焦作", "许昌"}


@pytest.fixture(scope="module")
def live(built: BuildReport) -> Iterator[LiveServer]:
    """`zhongyuan-kg serve` on the session's build of the real records."""
    server = LiveServer(built.dist / DATASET_FILE, timeout=20, evaluators=2)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Headless Chromium with a fresh profile."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


class Watched:
    """A page whose console errors and requests to other hosts are recorded."""

    def __init__(self, page: Page, root: str) -> None:
        self.page, self.root = page, root
        self.errors: list[str] = []
        self.foreign: list[str] = []
        own = urlsplit(root).netloc
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "request",
            lambda r: (
                self.foreign.append(r.url)
                if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(r.url).netloc != own
                else None
            ),
        )

    def open(self, path: str, ready: str | None = None) -> Page:
        self.page.goto(self.root + path)
        if ready:
            self.page.wait_for_selector(ready, timeout=20_000)
        return self.page

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.fixture
def watched(browser: BrowserContext, live: LiveServer) -> Iterator[Watched]:
    """A fresh tab in Chinese; it must end with no console error and no foreign request."""
    browser.clear_cookies()
    page = browser.new_page()
    tab = Watched(page, live.root)
    yield tab
    page.close()
    assert tab.errors == []
    assert tab.foreign == []


def column(page: Page, name: str) -> list[str]:
    """The texts of one result column, row by row."""
    return page.eval_on_selector_all(
        f'#result-table td[data-var="{name}"]', "cells => cells.map(c => c.textContent)"
    )


def test_home_page_loads_cleanly(watched: Watched):
    page = watched.open("/")
    assert page.title() == "中原城市群发展规划知识图谱"
    assert page.locator("#saved-queries li").count() >= 40
    watched.shot("home")


def test_saved_query_from_the_gallery_shows_the_metropolitan_members(watched: Watched):
    page = watched.open("/query", "body[data-ready]")
    page.click('#gallery button[data-name="metropolitan-area"]')
    page.wait_for_selector("#results[data-ready] #result-table")
    relations, cities = column(page, "relation"), column(page, "city")
    members = {city for relation, city in zip(relations, cities, strict=True) if relation == "成员"}
    assert members == METROPOLITAN_MEMBERS
    partners = {
        city for relation, city in zip(relations, cities, strict=True) if relation != "成员"
    }
    assert partners == {"洛阳", "平顶山", "漯河", "济源"}
    # The result carries coordinates: the map view shows one point per city.
    assert page.locator("#result-map circle.result-point").count() == 9
    # The address now names the query, so that the link can be shared.
    assert "saved=metropolitan-area" in page.url
    assert page.locator("#downloads a").count() == 4


def test_query_typed_in_the_editor_and_shared_by_url(watched: Watched):
    query = (
        "SELECT ?city ?name WHERE { <axis/longhai> zy:hasNodeCity ?city . "
        '?city rdfs:label ?name FILTER(LANG(?name) = "zh") } ORDER BY ?name'
    )
    page = watched.open("/query", "body[data-ready]")
    page.fill("#editor-text", query)
    page.click("#run")
    page.wait_for_selector("#results[data-ready] #result-table")
    names = set(column(page, "name"))
    assert names == {"郑州", "洛阳", "开封", "三门峡", "运城", "商丘", "淮北", "宿州", "菏泽"}
    shared = page.locator("#share").get_attribute("href")
    again = watched.open(shared, "#results[data-ready] #result-table")
    assert set(column(again, "name")) == names
    assert again.locator("#editor-highlight .tok-keyword").first.text_content() == "SELECT"


def test_resource_page_shows_the_source_quote(watched: Watched):
    page = watched.open("/id/city/zhengzhou")
    assert page.locator("h1#label").text_content() == "郑州"
    quotes = page.locator("#sources mark.quote").all_text_contents()
    assert "以河南省郑州市" in quotes
    assert page.locator("#locator-map circle.marker").count() == 1
    watched.shot("resource")


def test_map_shows_thirty_cities_and_four_axes(watched: Watched):
    page = watched.open("/map", "#map[data-ready]")
    assert page.locator("#map circle.city-marker").count() == 30
    assert page.locator("#map circle.city-marker.core").count() == 14
    assert page.locator("#map circle.city-marker.linked").count() == 16
    assert page.locator("#map polyline.axis-line").count() == 4
    assert page.locator("#map polygon.metropolitan-area").count() == 1
    layer = page.locator('#layers input[data-layer^="project:"]').first
    group = page.locator('#map g[data-layer^="project:"]').first
    assert group.get_attribute("visibility") == "hidden"
    layer.check()
    assert group.get_attribute("visibility") == "visible"
    watched.shot("map")


def test_language_switch_changes_the_labels(watched: Watched):
    page = watched.open("/id/city/zhengzhou")
    assert page.locator("h1#label").text_content() == "郑州"
    page.click("#lang-switch")
    page.wait_for_url("**lang=en")
    assert page.locator("h1#label").text_content() == "Zhengzhou"
    assert page.locator("html").get_attribute("lang") == "en"
    # The choice sticks: the next page is in English too.
    map_page = watched.open("/map", "#map[data-ready]")
    labels = map_page.locator("#map text.city-label").all_text_contents()
    assert "Zhengzhou" in labels and "郑州" not in labels
    watched.shot("map-en")
    screenshot_for_readme(map_page)


def screenshot_for_readme(page: Page) -> None:
    """The README's picture (docs/map.png) is made from this run; it is committed by hand."""
    page.screenshot(
        path=str(ARTIFACTS / "readme-map.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 760}
    )

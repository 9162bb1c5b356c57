"""The course site in a real browser: build it, serve it on 127.0.0.1, drive headless Chromium.

Checks every built page: it loads with no console error and no failed request (a request to any
host but 127.0.0.1 counts as failed: the site must work offline), every figure has a non-zero
size, math is rendered by KaTeX, and no code block is empty; and the search box finds lesson 01. Each lesson page is
saved as a screenshot (into the test's temporary folder, and into $MINML_SCREENSHOTS when set)
for a person to look at.

Needs Debian's Chromium and the Playwright package (never ``playwright install``: Playwright is
pointed at /usr/bin/chromium); skipped, saying how to install them, when either is missing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

INSTALL = "apt-get install -y --no-install-recommends chromium && python -m pip install playwright"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SEARCH_QUERY = "automatic differentiation"
LESSON_01 = "lessons/01-autodiff/"

sync_api = pytest.importorskip("playwright.sync_api", reason=f"Playwright is not installed: {INSTALL}")
pytest.importorskip("mkdocs", reason='MkDocs is not installed: pip install ".[docs]"')
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"{CHROMIUM} not found: {INSTALL}", allow_module_level=True)

from minml import course_site  # noqa: E402 - after the skips


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    course_site.build(ROOT, site, strict=True)
    return site


@pytest.fixture(scope="module")
def base_url(site_dir):
    server = course_site.make_server(site_dir, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def context():
    """A Chromium context with a fresh profile that refuses (and records) requests to other hosts."""
    profile = tempfile.mkdtemp(prefix="minml-chromium-")
    playwright = sync_api.sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
    except Exception:
        playwright.stop()
        shutil.rmtree(profile, ignore_errors=True)
        raise
    context.external_requests = []

    def local_only(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            context.external_requests.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    yield context
    context.close()
    playwright.stop()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def screenshot_dirs(tmp_path_factory) -> list[Path]:
    dirs = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("MINML_SCREENSHOTS"):
        dirs.append(Path(os.environ["MINML_SCREENSHOTS"]))
        dirs[-1].mkdir(parents=True, exist_ok=True)
    return dirs


def page_paths(site_dir: Path) -> list[str]:
    """Every page of the built site, as a URL path relative to its root ("", "lessons/01-autodiff/", ...)."""
    paths = []
    for index in sorted(site_dir.rglob("index.html")):
        relative = index.parent.relative_to(site_dir).as_posix()
        paths.append("" if relative == "." else relative + "/")
    return paths


# In the page: figures (inline SVG or <img> in the content; not icons, not KaTeX's own SVG) with no size.
FIGURE_PROBLEMS = """() => {
  const problems = [];
  for (const img of document.querySelectorAll(".md-content img")) {
    if (!img.complete || img.naturalWidth === 0) problems.push(`<img src="${img.getAttribute("src")}"> has no size`);
  }
  const svgs = [...document.querySelectorAll(".md-content svg")].filter(
    (svg) => !svg.parentElement.closest("svg") && !svg.closest(".katex") && !svg.closest(".twemoji"));
  svgs.forEach((svg, i) => {
    const box = svg.getBoundingClientRect();
    if (svg.checkVisibility()) {
      if (box.width <= 0 || box.height <= 0) problems.push(`<svg> #${i + 1} is drawn ${box.width}x${box.height}`);
    } else {  // in a closed <details> or another tab: its declared size must still be non-zero
      const view = svg.viewBox.baseVal;
      if (!view || view.width <= 0 || view.height <= 0) problems.push(`hidden <svg> #${i + 1} has no viewBox size`);
    }
  });
  return {problems, figures: document.querySelectorAll(".md-content img").length + svgs.length};
}"""

# In the page: code blocks with nothing in them, such as the output of a markdown-exec block that prints nothing.
EMPTY_CODE_BLOCKS = """() => [...document.querySelectorAll(".md-content pre > code")]
  .filter((code) => code.textContent.trim() === "")
  .map((code) => {
    const before = code.closest(".highlight")?.previousElementSibling?.textContent.trim().split("\\n").pop() ?? "";
    return `empty code block after: ${before.slice(0, 80)} (an exec block that prints nothing: drop result="text")`;
  })"""

MATH_RENDERED = """() => [...document.querySelectorAll(".arithmatex")].every((e) => e.querySelector(".katex"))"""

MATH_PROBLEMS = """() => {
  const problems = [];
  document.querySelectorAll(".arithmatex").forEach((e, i) => {
    if (!e.querySelector(".katex")) problems.push(`math #${i + 1} not rendered: ${e.textContent.slice(0, 60)}`);
  });
  document.querySelectorAll(".katex-error").forEach((e) => problems.push(`KaTeX error: ${e.title || e.textContent}`));
  return {problems, formulas: document.querySelectorAll(".arithmatex").length};
}"""


def check_page(context, url: str) -> tuple[list[str], object]:
    """Load ``url``; return the problems found and the page (still open)."""
    problems = []
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.append(f"console error: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url} ({request.failure})"))
    page.on(
        "response",
        lambda response: response.status >= 400 and problems.append(f"HTTP {response.status}: {response.url}"),
    )
    response = page.goto(url, wait_until="networkidle")
    if response is None or not response.ok:
        problems.append(f"page itself: {response.status if response else 'no response'}")
    try:
        page.wait_for_function(MATH_RENDERED, timeout=10_000)
    except sync_api.TimeoutError:
        pass  # reported below, formula by formula
    problems += page.evaluate(MATH_PROBLEMS)["problems"]
    problems += page.evaluate(FIGURE_PROBLEMS)["problems"]
    problems += page.evaluate(EMPTY_CODE_BLOCKS)
    return problems, page


def test_every_page_loads_cleanly(context, base_url, site_dir, screenshot_dirs):
    paths = page_paths(site_dir)
    assert LESSON_01 in paths and "" in paths, f"pages built: {paths}"
    failures = {}
    for path in paths:
        problems, page = check_page(context, base_url + path)
        if path.startswith("lessons/"):
            name = path.strip("/").replace("/", "_") + ".png"
            for directory in screenshot_dirs:
                page.screenshot(path=str(directory / name), full_page=True)
        page.close()
        if problems:
            failures[path or "/"] = problems
    if context.external_requests:
        failures["requests to hosts other than 127.0.0.1 (the site must work offline)"] = context.external_requests
    assert not failures, "\n".join(f"{path}:\n  " + "\n  ".join(problems) for path, problems in failures.items())


def test_math_is_rendered_on_a_lesson(context, base_url):
    problems, page = check_page(context, base_url + LESSON_01)
    formulas = page.evaluate(MATH_PROBLEMS)["formulas"]
    rendered = page.locator(".katex").count()
    page.close()
    assert not problems
    assert formulas > 0, "lesson 01 has no math (no arithmatex elements): is pymdownx.arithmatex configured?"
    assert rendered >= formulas


def test_search_finds_the_autodiff_lesson(context, base_url):
    page = context.new_page()
    page.goto(base_url, wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(SEARCH_QUERY, delay=20)
    result = page.locator(f'a.md-search-result__link[href*="{LESSON_01}"]').first
    try:
        result.wait_for(state="visible", timeout=15_000)
    except sync_api.TimeoutError:
        shown = page.locator(".md-search-result").inner_text()
        pytest.fail(f"searching {SEARCH_QUERY!r} shows no link to {LESSON_01}; the results read:\n{shown}")
    finally:
        page.close()

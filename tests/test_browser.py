"""The built site in a real browser (Debian's headless Chromium, driven by Playwright).

Checks what a visitor sees: images load, the chart is visible, no console errors, text
contrast and table headers; and that badge PNGs match the browser's own SVG rendering.
Screenshots (light and dark) are saved to ``test-artifacts/``.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from conftest import EXAMPLE, ROOT, influence, mkdocs_build

import badges

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("CI must install Debian's chromium (see .ci/run)")
if CHROMIUM is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

CONTRAST_JS = """
(selectors) => {
  const lum = (rgb) => {
    const c = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(v => v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const bgOf = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const b = getComputedStyle(e).backgroundColor;
      if (b && !b.startsWith('rgba(0, 0, 0, 0)') && b !== 'transparent') return b;
    }
    return 'rgb(255, 255, 255)';
  };
  const out = [];
  for (const sel of selectors) {
    for (const el of document.querySelectorAll(sel)) {
      const a = lum(getComputedStyle(el).color), b = lum(bgOf(el));
      out.push([sel, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]);
    }
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser") / "site-example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".cache", ".lock"))
    markers = "# Markers\n\n<!-- influence:badge -->\n\n<!-- influence:badge style=for-the-badge -->\n\n"
    markers += "<!-- influence:card -->\n\n<!-- influence:topics -->\n"
    (root / "docs" / "markers.md").write_text(markers)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - About: about.md\n", "  - About: about.md\n  - Markers: markers.md\n"))
    influence("update", "-f", str(config), "--offline", "--as-of", "2026-11-20")
    mkdocs_build(config)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser: object, url: str, scheme: str = "light") -> tuple[object, list[str]]:
    page = browser.new_page(color_scheme=scheme, viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Material loads web fonts from Google; there is no network here, so block them up front.
    page.route("**/*", lambda route: route.abort() if "127.0.0.1" not in route.request.url else route.continue_())
    page.goto(url, wait_until="load")
    return page, [e for e in errors if "fonts.g" not in e and "net::ERR_FAILED" not in e]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_history_page(served: str, browser: object, scheme: str) -> None:
    page, errors = _open(browser, f"{served}/influence/", scheme)
    assert errors == []
    imgs = page.eval_on_selector_all("img", "els => els.map(e => [e.alt, e.naturalWidth])")
    assert all(alt for alt, _ in imgs) and all(w > 0 for _, w in imgs)
    box = page.locator("svg.influence-chart").first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    # the 30-day toggle works without JavaScript
    page.click("label[for=influence-range-30]")
    assert page.locator(".influence-range-30").is_visible() and not page.locator(".influence-range-all").is_visible()
    assert page.eval_on_selector_all("table.influence-table thead th", "els => els.length") >= 4
    ratios = page.evaluate(
        CONTRAST_JS, [".influence-summary", ".influence-sources li", ".influence-table td", ".influence-topics li"]
    )
    assert ratios and min(r for _, r in ratios) >= 4.5, ratios
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"history-{scheme}.png"), full_page=True)
    og = page.get_attribute('meta[property="og:image"]', "content")
    assert og == "https://madder-and-weld.example/influence/og.png"
    page.close()


def test_every_marker_loads(served: str, browser: object) -> None:
    page, errors = _open(browser, f"{served}/markers/")
    assert errors == []
    imgs = page.eval_on_selector_all("article img", "els => els.map(e => [e.getAttribute('src'), e.alt, e.naturalWidth])")
    srcs = [src for src, _, _ in imgs]
    assert srcs == [
        "../influence/badge.svg",
        "../influence/badge-for-the-badge.svg",
        "../influence/card.svg",
        "../influence/topics.svg",
    ]
    assert all(alt and width > 0 for _, alt, width in imgs)
    page.screenshot(path=str(ARTIFACTS / "markers.png"), full_page=True)
    page.close()


PAIRS = [("influence", "57"), ("topics", "natural dye · sock knitting"), ("AVAWAY", "To Wolf")]


def _on(img: object, background: str) -> object:
    from PIL import Image

    base = Image.new("RGBA", img.size, background)  # type: ignore[attr-defined]
    base.alpha_composite(img)  # type: ignore[arg-type]
    return base.convert("RGB")


@pytest.mark.parametrize("style", list(badges.STYLES))
@pytest.mark.parametrize("scale", [1, 2])
@pytest.mark.parametrize(("label", "message"), PAIRS)
def test_png_matches_the_browser(browser: object, style: str, scale: int, label: str, message: str) -> None:
    """As seen on a light and on a dark page: at most 2% of pixels differ by > 10% in a channel."""
    from PIL import Image, ImageChops

    svg = badges.badge(label, message, style=style)
    ours = Image.open(io.BytesIO(badges.to_png(svg, scale=scale))).convert("RGBA")
    page = browser.new_page(device_scale_factor=scale, viewport={"width": 600, "height": 100})  # type: ignore[attr-defined]
    page.set_content(f'<html><body style="margin:0;background:transparent">{svg}</body></html>')
    shot = page.locator("svg").screenshot(omit_background=True)
    page.close()
    theirs = Image.open(io.BytesIO(shot)).convert("RGBA")
    assert theirs.size == ours.size
    for background in ("#ffffff", "#0d1117"):
        diff = ImageChops.difference(_on(ours, background), _on(theirs, background))
        bad = sum(1 for px in diff.get_flattened_data() if max(px) > 25)  # > 10% of 255
        share = bad / (ours.width * ours.height)
        assert share <= 0.02, f"{style}@{scale}x on {background}: {share:.2%} of pixels differ"

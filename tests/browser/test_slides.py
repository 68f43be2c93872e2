"""The offline slide deck opens from a file path in headless Chromium with the network off, every slide
fits a 1280 x 800 screen, and a retina figure keeps its double resolution."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from iliopsoas_lib.documents.slides import notebook_to_slides

from .conftest import ROOT

#: The screen every slide must fit: a common classroom projector (WXGA).
SCREEN = {"width": 1280, "height": 800}
NUMBERED = sorted(p.name for p in (ROOT / "notebooks").glob("0*.ipynb"))


def test_deck_opens_from_a_file_with_no_network(browser: Browser, tmp_path: Path) -> None:
    deck = tmp_path / "stretches.html"
    deck.write_text(notebook_to_slides(ROOT / "notebooks" / "03_stretches.ipynb"), encoding="utf-8")
    context = browser.new_context(offline=True, viewport=SCREEN)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.goto(deck.as_uri())
        current = page.locator(".slide.current")
        expect(current).to_have_count(1)
        total = page.locator(".slide").count()
        expect(current.locator("h1")).to_contain_text("The five stretches")
        expect(page.locator("#counter")).to_have_text(f"1 / {total}")
        page.keyboard.press("ArrowRight")
        expect(current.locator("h2")).to_have_text("Before you try any of them")
        expect(current).to_contain_text("Stop and get help")  # the red flags come before any stretch
        page.keyboard.press("ArrowRight")
        expect(current).to_contain_text("Before you try any of them (continued)")
        expect(page.locator("#counter")).to_have_text(f"3 / {total}")
        for _ in range(total):  # the Next button, until the first stretch's section
            if current.locator("h2").filter(has_text="Standing hip flexor stretch").count():
                break
            page.get_by_role("button", name="Next ▶").click()
        expect(current.locator("h2")).to_have_text("Standing hip flexor stretch")
        at = page.locator("#counter").inner_text()
        page.keyboard.press("ArrowLeft")
        expect(page.locator("#counter")).not_to_have_text(at)
        page.keyboard.press("ArrowRight")
        expect(page.locator("#counter")).to_have_text(at)
        while not current.locator("img").count():  # its pose picture follows on a later slide
            page.keyboard.press("ArrowRight")
        expect(current).to_contain_text("Standing hip flexor stretch (continued)")
        image = current.locator("img").first
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")  # drawn from inside the file
        page.keyboard.press("End")
        expect(current.locator("h2")).to_have_text("References")  # readable labels, full references
        expect(current).to_contain_text("ACSM 2011: Garber CE")
        expect(page.locator("#counter")).to_have_text(f"{total} / {total}")
        assert all(url.startswith(("file:", "data:")) for url in requests), requests
    finally:
        context.close()


@pytest.mark.parametrize("name", NUMBERED, ids=lambda n: n.removesuffix(".ipynb"))
def test_every_slide_fits_a_1280_by_800_screen(browser: Browser, tmp_path: Path, name: str) -> None:
    """Each slide, shown in turn with the arrow key, fits the screen as it is: nothing to scroll, the
    last line above the navigation bar, no text shrunk to fit, pictures wholly on screen. No request
    leaves the file."""
    deck = tmp_path / "deck.html"
    deck.write_text(notebook_to_slides(ROOT / "notebooks" / name), encoding="utf-8")
    context = browser.new_context(offline=True, viewport=SCREEN)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.goto(deck.as_uri(), wait_until="load")
        total = page.locator(".slide").count()
        assert total > 1
        measured = []
        for number in range(1, total + 1):
            expect(page.locator("#counter")).to_have_text(f"{number} / {total}")
            measured.append(page.evaluate(MEASURE))
            page.keyboard.press("ArrowRight")
        too_tall = [
            (number, m)
            for number, m in enumerate(measured, 1)
            if m["scroll"] > m["client"]
            or m["bottom"] > m["nav"]
            or m["scale"] != "1.00"
            or m["images"] > 800
        ]
        assert not too_tall, too_tall
        assert all(url.startswith(("file:", "data:")) for url in requests), requests
    finally:
        context.close()


MEASURE = """() => {
  const slide = document.querySelector('.slide.current');
  const shown = Array.from(slide.children).filter((e) => getComputedStyle(e).display !== 'none');
  const images = Array.from(slide.querySelectorAll('img')).map((i) => i.getBoundingClientRect().bottom);
  return {
    scroll: slide.scrollHeight, client: slide.clientHeight, scale: slide.dataset.scale,
    bottom: Math.max(...shown.map((e) => e.getBoundingClientRect().bottom)),
    nav: document.querySelector('nav').getBoundingClientRect().top,
    images: Math.max(0, ...images),
  };
}"""


def test_a_retina_chart_is_shown_at_twice_the_resolution(browser: Browser, tmp_path: Path) -> None:
    """Notebook 07's adherence chart is drawn with two pixels for each one shown, each way."""
    deck = tmp_path / "clinic.html"
    deck.write_text(notebook_to_slides(ROOT / "notebooks" / "07_clinic_teaching.ipynb"), encoding="utf-8")
    context = browser.new_context(offline=True, viewport=SCREEN)
    try:
        page = context.new_page()
        page.goto(deck.as_uri(), wait_until="load")
        current = page.locator(".slide.current")
        for _ in range(page.locator(".slide").count()):
            if current.locator("img").count():
                break
            page.keyboard.press("ArrowRight")
        image = current.locator("img").first
        expect(image).to_be_visible()
        ratio = image.evaluate("img => img.naturalWidth / img.getBoundingClientRect().width")
        assert ratio >= 1.99, ratio
        assert "Review a patient" in current.inner_text()
    finally:
        context.close()


def test_a_crafted_notebook_runs_nothing_and_fetches_nothing(browser: Browser, tmp_path: Path) -> None:
    """The attack from issue 13: picture data that closes the ``src`` attribute and adds a handler, a
    picture from another host, raw HTML in a cell and in an output. Opened, the deck stays inert."""
    import base64
    import io
    import warnings

    import nbformat
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (6, 5), "blue").save(picture, format="PNG")
    good = base64.b64encode(picture.getvalue()).decode()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# Crafted\n\n![pixel](http://evil.example/pixel.png)\n\n<img src=x onerror=alert('cell')>"
        ),
        nbformat.v4.new_code_cell(
            "x = 1",
            outputs=[
                nbformat.v4.new_output("display_data", data={"image/png": "x\" onerror=\"alert('png')"}),
                nbformat.v4.new_output("display_data", data={"image/png": good}),
                nbformat.v4.new_output(
                    "execute_result",
                    data={"text/html": "<script>alert('html')</script>", "text/plain": "plain words"},
                    execution_count=1,
                ),
            ],
        ),
    ]
    nbformat.write(nb, tmp_path / "crafted.ipynb")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the left-out picture is reported; here only the page matters
        deck = notebook_to_slides(tmp_path / "crafted.ipynb")
    (tmp_path / "crafted.html").write_text(deck, encoding="utf-8")
    context = browser.new_context(offline=True)
    requests: list[str] = []
    dialogs: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto((tmp_path / "crafted.html").as_uri(), wait_until="load")
        current = page.locator(".slide.current")
        expect(current.locator("h1")).to_have_text("Crafted")
        page.wait_for_timeout(300)  # time for any handler or late script to fire
        assert dialogs == [], f"the deck ran script: {dialogs}"
        assert all(url.startswith(("file:", "data:")) for url in requests), requests
        expect(current).to_contain_text("<img src=x onerror=alert('cell')>")  # shown as typed
        expect(current).to_contain_text("plain words")
        expect(current).to_contain_text("could not be read")
        image = current.locator("img")
        expect(image).to_have_count(1)
        assert image.evaluate("img => img.complete && img.naturalWidth") == 6
    finally:
        context.close()

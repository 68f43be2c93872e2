"""The offline slide deck opens from a file path in headless Chromium with the network off."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from iliopsoas_lib.documents.slides import notebook_to_slides

from .conftest import ROOT


def test_deck_opens_from_a_file_with_no_network(browser: Browser, tmp_path: Path) -> None:
    deck = tmp_path / "stretches.html"
    deck.write_text(notebook_to_slides(ROOT / "notebooks" / "03_stretches.ipynb"), encoding="utf-8")
    context = browser.new_context(offline=True)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.goto(deck.as_uri())
        current = page.locator(".slide.current")
        expect(current).to_have_count(1)
        expect(current.locator("h1")).to_contain_text("The five stretches")
        expect(page.locator("#counter")).to_have_text("1 / 10")
        page.keyboard.press("ArrowRight")
        expect(current.locator("h2")).to_have_text("Before you try any of them")
        expect(current).to_contain_text("Stop and get help")  # the red flags come before any stretch
        page.keyboard.press("ArrowRight")
        expect(current.locator("h2")).to_have_text("The five at a glance")
        expect(page.locator("#counter")).to_have_text("3 / 10")
        page.get_by_role("button", name="Next ▶").click()
        expect(current.locator("h2")).to_have_text("Standing hip flexor stretch")
        image = current.locator("img").first
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")  # drawn from inside the file
        page.keyboard.press("ArrowLeft")
        expect(page.locator("#counter")).to_have_text("3 / 10")
        assert all(url.startswith(("file:", "data:")) for url in requests), requests
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

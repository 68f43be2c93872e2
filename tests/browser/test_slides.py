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

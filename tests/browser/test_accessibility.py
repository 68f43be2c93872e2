"""axe-core over the served dashboard in headless Chromium: no violation at a phone's width or a desktop's,
in the first view, with the timer running, and with every section open (issue 12, point 5).

axe-core comes from npm (scripts/test.sh installs the pinned version into .cache/npm) and is put into the
page by Playwright, as a person's browser extension would. The page is then used as a person uses it:
answers clicked, the timer started, every closed part opened, a handout made and a session logged.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import ROOT
from .test_dashboard import dashboard_url, open_dashboard, ready_routine  # noqa: F401 (a fixture)

AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
#: Rules that must have checked something in the last state, so a pass means the page was really read:
#: labels and names of the clinicians' inputs, text contrast, and the page's main landmark.
MUST_CHECK = {"label", "select-name", "color-contrast", "landmark-one-main", "region"}

#: How tall the page is: Voilà's page scrolls inside #rendered_cells, not the document.
PAGE_HEIGHT = """() => Math.max(document.documentElement.scrollHeight,
  ...[...document.querySelectorAll('*')].map(e => e.scrollHeight))"""

RUN_AXE = """async () => {
  const result = await axe.run(document);
  return {
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({ target: n.target.join(' '), why: n.failureSummary })),
    })),
    checked: result.passes.filter(p => p.nodes.length > 0).map(p => p.id),
  };
}"""


def run_axe(page: Page) -> dict:
    """axe-core's violations over the whole page, and the rules that checked at least one element.

    axe leaves out what an overflowing box clips from view, and the dashboard scrolls inside Voilà's
    #rendered_cells: so the window is made as tall as the page (same width) while axe runs.
    """
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/test.sh, which installs axe-core from npm")
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"], "height": page.evaluate(PAGE_HEIGHT) + 100})
    try:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        return page.evaluate(RUN_AXE)
    finally:
        page.set_viewport_size(viewport)


def readable(found: dict[str, dict]) -> str:
    """Each state's violations, one rule a paragraph with the elements it named and why."""
    lines = []
    for state, result in found.items():
        for violation in result["violations"]:
            lines.append(f"[{state}] {violation['id']} ({violation['impact']}): {violation['help']}")
            lines += [f"    {node['target']}\n      {node['why']}" for node in violation["nodes"][:6]]
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_first_running_and_all_open(
    browser: Browser,
    dashboard_url: str,  # noqa: F811 (the fixture imported above)
    width: str,
) -> None:
    phone = width == "phone"
    context = browser.new_context(viewport=WIDTHS[width], is_mobile=phone, has_touch=phone)
    try:
        page = open_dashboard(context.new_page(), dashboard_url)
        found = {"first view": run_axe(page)}

        ready_routine(page)  # every health question answered, every ability ticked: all the cards
        page.locator(".ilio-timer-toggle").click()
        expect(page.locator(".ilio-timer")).to_have_attribute("data-status", "running")
        found["timer running"] = run_axe(page)
        expect(page.locator(".ilio-timer")).to_have_attribute("data-status", "running")

        for name in ("Show all the stretches", "Show the muscle", "Show the clinicians' tools"):
            page.get_by_role("button", name=name).click()
        expect(page.locator(".ilio-stretch-card")).not_to_be_empty()
        expect(page.locator(".ilio-muscle-facts")).not_to_be_empty()
        page.locator(".ilio-make-handout").click()
        expect(page.locator(".ilio-handout-link")).to_be_visible(timeout=60_000)
        page.locator(".ilio-log-button").click()
        expect(page.locator(".ilio-week-summary")).to_contain_text("This week: 1 session")
        found["every section open"] = run_axe(page)

        assert not any(result["violations"] for result in found.values()), (
            f"axe-core at {width} width ({WIDTHS[width]['width']} px):\n{readable(found)}"
        )
        unchecked = MUST_CHECK - set(found["every section open"]["checked"])
        assert not unchecked, f"axe checked nothing for {sorted(unchecked)}: " + json.dumps(
            sorted(found["every section open"]["checked"])
        )
    finally:
        context.close()

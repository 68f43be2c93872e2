"""The timer plays its plan in the browser: offline, throttled or reloaded, the hold keeps its time.

The dashboard is served and answered exactly as tests/browser/test_dashboard.py does (its fixture and
helpers are reused). Each test presses Start, skips into the first hold, then does to the page what a
phone does to it: cuts the network, reloads it, leaves it alone while its websocket is watched, or
listens to what is scheduled on its audio clock.
"""

from __future__ import annotations

import itertools
import time

from playwright.sync_api import Page, WebSocket, expect

from . import test_dashboard
from .test_dashboard import countdown_seconds, open_dashboard, ready_routine

# The dashboard's own fixtures: served and sized as its tests do (a phone's screen).
dashboard_url = test_dashboard.dashboard_url
browser_context_args = test_dashboard.browser_context_args

#: Records every oscillator the page makes and when each is told to start and stop, on the audio clock.
AUDIO_SPY = """
window.__tones = { made: 0, starts: [], stops: [] };
const make = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () {
  window.__tones.made += 1;
  return make.apply(this, arguments);
};
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (when) {
  window.__tones.starts.push({ when: when || 0, now: this.context.currentTime, hz: this.frequency.value });
  return start.apply(this, arguments);
};
const stop = OscillatorNode.prototype.stop;
OscillatorNode.prototype.stop = function (when) {
  window.__tones.stops.push({ when: when === undefined ? null : when, now: this.context.currentTime });
  return stop.apply(this, arguments);
};
"""


def into_the_first_hold(page: Page) -> float:
    """Start the routine and skip its get-ready: returns the (Python monotonic) time the hold began."""
    timer = page.locator(".ilio-timer")
    page.locator(".ilio-timer-toggle").click()
    expect(timer).to_have_attribute("data-status", "running")
    page.locator(".ilio-timer-skip").click()
    page.wait_for_function(
        "document.querySelector('.ilio-timer').dataset.kind === 'hold'", polling=20, timeout=30_000
    )
    began = time.monotonic()
    expect(page.locator(".ilio-timer-title")).to_have_text("Hold")
    return began


def hold_seconds(page: Page) -> int:
    """The full length of the hold now shown, from the countdown just after it began."""
    return countdown_seconds(page)


def test_offline_for_20_s_mid_hold_the_countdown_never_stops_and_the_hold_ends_on_time(
    page: Page, dashboard_url: str
) -> None:
    open_dashboard(page, dashboard_url)
    ready_routine(page)
    began = into_the_first_hold(page)
    length = hold_seconds(page)
    assert length >= 25, f"the test needs a hold longer than 20 s, got {length}"
    page.wait_for_timeout(2000)
    detail = page.locator(".ilio-timer-detail").inner_text()

    page.context.set_offline(True)
    samples = []
    try:
        offline_until = time.monotonic() + 20
        while time.monotonic() < offline_until:
            samples.append(countdown_seconds(page))
            page.wait_for_timeout(1250)  # a redraw is at most 0.25 s old: every sample is a second lower
        assert page.locator(".ilio-timer").get_attribute("data-status") == "running"
        assert page.locator(".ilio-timer-detail").inner_text() == detail
    finally:
        page.context.set_offline(False)
    assert len(samples) >= 14
    assert all(b < a for a, b in itertools.pairwise(samples)), samples

    page.wait_for_function(
        "document.querySelector('.ilio-timer').dataset.kind !== 'hold'", polling=20, timeout=30_000
    )
    ended = time.monotonic() - began
    assert abs(ended - length) <= 1.0, f"the {length} s hold ended after {ended:.2f} s"
    expect(page.locator(".ilio-timer-title")).to_have_text("Switch side")


def test_pause_and_resume_work_offline_and_the_kernel_takes_the_pages_position(
    page: Page, dashboard_url: str
) -> None:
    open_dashboard(page, dashboard_url)
    ready_routine(page)
    into_the_first_hold(page)
    page.wait_for_function(
        "document.querySelector('.ilio-timer-countdown').innerText <= '0:10'", polling=50, timeout=40_000
    )
    page.context.set_offline(True)
    try:
        page.locator(".ilio-timer-toggle").click()
        expect(page.locator(".ilio-timer")).to_have_attribute("data-status", "paused")
        held = countdown_seconds(page)
        page.wait_for_timeout(12_000)  # longer than the hold had left: the kernel's clock passes its end
        assert countdown_seconds(page) == held, "the countdown moved while paused"
        page.locator(".ilio-timer-toggle").click()
        expect(page.locator(".ilio-timer")).to_have_attribute("data-status", "running")
    finally:
        page.context.set_offline(False)
    # Back online, the page still holds; the kernel's plan, when it comes, says the same.
    page.wait_for_timeout(2500)
    assert page.locator(".ilio-timer").get_attribute("data-kind") == "hold"
    assert held - 4 <= countdown_seconds(page) <= held - 1
    page.locator(".ilio-timer-skip").click()  # a command the kernel answers: from the page's position
    expect(page.locator(".ilio-timer-title")).to_have_text("Switch side")


def test_the_cues_to_the_end_of_a_hold_are_scheduled_ahead_on_the_audio_clock(
    page: Page, dashboard_url: str
) -> None:
    page.add_init_script(AUDIO_SPY)
    open_dashboard(page, dashboard_url)
    ready_routine(page)
    page.locator(".ilio-timer-toggle").click()
    expect(page.locator(".ilio-timer")).to_have_attribute("data-status", "running")
    page.wait_for_timeout(500)
    earlier = page.evaluate("window.__tones.starts.length")  # the get-ready's schedule, called off by Skip
    page.locator(".ilio-timer-skip").click()
    expect(page.locator(".ilio-timer-title")).to_have_text("Hold")
    page.wait_for_timeout(500)
    left = countdown_seconds(page)
    tones = page.evaluate("window.__tones")
    ahead = sorted(s["when"] - s["now"] for s in tones["starts"][earlier:] if s["when"] - s["now"] > 0.5)
    # The end of this hold (a phase tone) and its 3-2-1 count, set before the hold is over.
    for due in (left - 3, left - 2, left - 1, left):
        assert any(abs(at - due) <= 1.0 for at in ahead), (due, ahead[:8])
    assert ahead[-1] > left + 60, "cues further on are set too (the page may be throttled by then)"
    assert {round(s["hz"]) for s in tones["starts"][earlier:]} == {660, 880, 523}  # phase, count, done

    stopped = len(tones["stops"])
    page.locator(".ilio-timer-toggle").click()  # pause: every cue set ahead is called off
    expect(page.locator(".ilio-timer")).to_have_attribute("data-status", "paused")
    after = page.evaluate("window.__tones")
    called_off = [s for s in after["stops"][stopped:] if s["when"] is None]
    assert len(called_off) >= len(ahead)
    page.locator(".ilio-timer-toggle").click()  # resume: set again, from the same place
    page.wait_for_function("n => window.__tones.starts.length >= n", arg=len(after["starts"]) + len(ahead))


def test_nothing_crosses_the_websocket_while_a_hold_runs(page: Page, dashboard_url: str) -> None:
    frames: list[tuple[float, str, int]] = []

    def watch(ws: WebSocket) -> None:
        ws.on("framesent", lambda payload: frames.append((time.monotonic(), "sent", len(payload))))
        ws.on("framereceived", lambda payload: frames.append((time.monotonic(), "received", len(payload))))

    page.on("websocket", watch)
    open_dashboard(page, dashboard_url)
    ready_routine(page)
    into_the_first_hold(page)
    page.wait_for_timeout(1000)  # the skip's answer has arrived
    start = time.monotonic()
    first = countdown_seconds(page)
    page.wait_for_timeout(5000)
    quiet = [f for f in frames if f[0] >= start]
    assert countdown_seconds(page) <= first - 4, "the countdown ran"
    assert quiet == [], f"{len(quiet)} frames while the hold ran: {quiet[:5]}"
    assert frames, "the page did talk to its kernel (the watch works)"


def test_a_reload_mid_routine_resumes_the_same_phase(page: Page, dashboard_url: str) -> None:
    open_dashboard(page, dashboard_url)
    ready_routine(page)
    into_the_first_hold(page)
    page.wait_for_timeout(3000)
    detail = page.locator(".ilio-timer-detail").inner_text()
    left, at = countdown_seconds(page), time.monotonic()

    page.reload()  # the answers come back from this browser's storage, then the timer's position
    expect(page.locator(".ilio-timer")).to_have_attribute("data-status", "running", timeout=90_000)
    expect(page.locator(".ilio-timer-detail")).to_have_text(detail)
    expected = left - (time.monotonic() - at)
    assert abs(countdown_seconds(page) - expected) <= 2, (countdown_seconds(page), expected)
    expect(page.locator(".ilio-timer-title")).to_have_text("Hold")


def test_reset_forgets_the_position_so_a_reload_starts_from_the_top(page: Page, dashboard_url: str) -> None:
    open_dashboard(page, dashboard_url)
    ready_routine(page)
    into_the_first_hold(page)
    page.locator(".ilio-timer-reset").click()
    expect(page.locator(".ilio-timer")).to_have_attribute("data-status", "ready")
    assert page.evaluate("localStorage.getItem('ilio-timer-position')") is None
    page.reload()
    expect(page.locator(".ilio-timer-title")).to_have_text("Get ready", timeout=90_000)
    page.wait_for_timeout(1500)
    assert page.locator(".ilio-timer").get_attribute("data-status") == "ready"

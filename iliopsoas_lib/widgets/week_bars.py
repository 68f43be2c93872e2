"""The weekly chart as HTML bars, for the dashboard.

The notebooks draw the same chart with matplotlib (:func:`iliopsoas_lib.figures.weekly.weekly_chart`).
The dashboard draws it in HTML instead: a visitor's kernel then never imports matplotlib (about 45 MB
less per visitor), the page is a few kilobytes lighter, the bars reflow on a phone, and a screen reader
reads each bar's label and count. Same colours and meaning: green bars met the goal, orange hatched ones
did not, the band is the 2-3 a week goal.
"""

from __future__ import annotations

import html
from typing import Any

from ..figures import GOAL_BAND, GOAL_MET, GOAL_NOT_MET
from ..figures.weekly import streak_title, week_label


def chart_description(counts: Any) -> str:
    """What the chart shows, in one sentence (its accessible name)."""
    this = counts.this_week
    unit = "week" if counts.streak == 1 else "weeks"
    return (
        f"Bar chart of sessions per week for the last {len(counts.weeks)} weeks against the goal of "
        f"{counts.goal_low} to {counts.goal_high}; this week {this.count}, streak {counts.streak} {unit}."
    )


def week_bars_html(counts: Any) -> str:
    """Bars of sessions per ISO week (oldest left) over the goal band, with the streak as the title."""
    top = max(counts.goal_high + 1, *(w.count for w in counts.weeks))
    band_bottom = 100 * counts.goal_low / top
    band_height = 100 * (counts.goal_high - counts.goal_low) / top
    bars = []
    for index, week in enumerate(counts.weeks):
        colour = GOAL_MET if week.met else GOAL_NOT_MET
        fill = colour if week.met else f"repeating-linear-gradient(45deg, {colour} 0 6px, #ffd9a8 6px 10px)"
        current = index == len(counts.weeks) - 1
        label = week_label(week) + (" (this week)" if current else "")
        plural = "" if week.count == 1 else "s"
        bars.append(
            f'<div class="ilio-bar-col" role="listitem" aria-label="{html.escape(label)}: {week.count} '
            f'session{plural}{", goal met" if week.met else ""}">'
            f'<div class="ilio-bar-area"><div class="ilio-bar" style="height:{100 * week.count / top:.1f}%;'
            f'background:{fill}"><span>{week.count}</span></div></div>'
            f'<div class="ilio-bar-label{" ilio-bar-now" if current else ""}">{html.escape(week_label(week))}'
            "</div></div>"
        )
    return (
        "<style>"
        ".ilio-week-chart{font-family:system-ui,sans-serif;max-width:36rem;margin:0}"
        ".ilio-week-chart h3{font-size:1.05rem;margin:.2rem 0 .4rem}"
        ".ilio-bars{position:relative;display:flex;gap:4px;height:9rem;border-bottom:2px solid #444}"
        f".ilio-band{{position:absolute;left:0;right:0;bottom:{band_bottom:.1f}%;height:{band_height:.1f}%;"
        f"background:{GOAL_BAND};opacity:.35}}"
        ".ilio-bar-col{flex:1;display:flex;flex-direction:column;height:calc(100% + 1.4rem);min-width:0}"
        ".ilio-bar-area{flex:1;display:flex;align-items:flex-end;position:relative;z-index:1}"
        ".ilio-bar{width:100%;min-height:2px;display:flex;justify-content:center;align-items:flex-start;"
        "border-radius:3px 3px 0 0}"
        ".ilio-bar span{font-size:.8rem;font-weight:700;transform:translateY(-1.1rem)}"
        ".ilio-bar-label{height:1.4rem;font-size:.7rem;text-align:center;white-space:nowrap;overflow:hidden}"
        ".ilio-bar-now{font-weight:700}"
        "</style>"
        f'<figure class="ilio-week-chart" aria-label="{html.escape(chart_description(counts))}">'
        f"<h3>{html.escape(streak_title(counts.streak))}</h3>"
        '<div class="ilio-bars" role="list"><div class="ilio-band" aria-hidden="true"></div>'
        f"{''.join(bars)}</div>"
        f"<figcaption>Green: goal met. Orange, striped: fewer than {counts.goal_low}. "
        f"Shaded band: the goal of {counts.goal_low}-{counts.goal_high} a week.</figcaption></figure>"
    )

"""The weekly chart as HTML bars, for the dashboard.

The notebooks draw the same chart with matplotlib (:func:`iliopsoas_lib.figures.weekly.weekly_chart`).
The dashboard draws it in HTML instead: a visitor's kernel then never imports matplotlib (about 45 MB
less per visitor), the page is a few kilobytes lighter, the bars reflow on a phone, and a screen reader
reads each bar's label and count. Same colours and meaning: green bars met the goal, orange hatched ones
did not, the band is the 2-3 a week goal.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ..figures import GOAL_BAND, GOAL_MET, GOAL_NOT_MET
from ..figures.weekly import streak_title, week_label
from .browser_code import stylesheet_html

_HERE = Path(__file__).parent


def chart_description(counts: Any) -> str:
    """What the chart shows, in one sentence (its accessible name)."""
    this = counts.this_week
    unit = "week" if counts.streak == 1 else "weeks"
    return (
        f"Bar chart of sessions per week for the last {len(counts.weeks)} weeks against the goal of "
        f"{counts.goal_low} to {counts.goal_high}; this week {this.count}, streak {counts.streak} {unit}."
    )


def week_bars_html(counts: Any) -> str:
    """Bars of sessions per ISO week (oldest left) over the goal band, with the streak as the title.

    The fixed rules live in ``week_bars.css`` (a cached file on the public server); the colours come in as
    CSS variables from the figures' palette, so the HTML and the matplotlib chart share one set.
    """
    top = max(counts.goal_high + 1, *(w.count for w in counts.weeks))
    band_bottom = 100 * counts.goal_low / top
    band_height = 100 * (counts.goal_high - counts.goal_low) / top
    bars = []
    for index, week in enumerate(counts.weeks):
        current = index == len(counts.weeks) - 1
        label = week_label(week) + (" (this week)" if current else "")
        plural = "" if week.count == 1 else "s"
        bars.append(
            f'<div class="ilio-bar-col" role="listitem" aria-label="{html.escape(label)}: {week.count} '
            f'session{plural}{", goal met" if week.met else ""}">'
            f'<div class="ilio-bar-area"><div class="ilio-bar {"ilio-met" if week.met else "ilio-missed"}" '
            f'style="height:{100 * week.count / top:.1f}%"><span>{week.count}</span></div></div>'
            f'<div class="ilio-bar-label{" ilio-bar-now" if current else ""}">{html.escape(week_label(week))}'
            "</div></div>"
        )
    palette = f"--ilio-met:{GOAL_MET};--ilio-missed:{GOAL_NOT_MET};--ilio-band:{GOAL_BAND}"
    return (
        stylesheet_html(_HERE / "week_bars.css")
        + f'<figure class="ilio-week-chart" style="{palette}" '
        f'aria-label="{html.escape(chart_description(counts))}">'
        f"<h3>{html.escape(streak_title(counts.streak))}</h3>"
        '<div class="ilio-bars" role="list">'
        f'<div class="ilio-band" style="bottom:{band_bottom:.1f}%;height:{band_height:.1f}%" '
        f"aria-hidden=\"true\"></div>{''.join(bars)}</div>"
        f"<figcaption>Green: goal met. Orange, striped: fewer than {counts.goal_low}. "
        f"Shaded band: the goal of {counts.goal_low}-{counts.goal_high} a week.</figcaption></figure>"
    )

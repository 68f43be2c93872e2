"""How often a person stretched, week by week, against the weekly goal (or a plan's own number).

The chart reads a :class:`~iliopsoas_lib.weekly_frequency.WeeklyCounts` (any object with ``weeks``,
``goal_low``, ``goal_high`` and ``streak`` will do), so it draws exactly what the weekly counts computed
(the goal band the guidelines set) and never counts anything itself. Given a plan's ``target``, the
same chart shows a dashed line at that number instead of the band, and speaks of the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import GOAL_BAND, GOAL_MET, GOAL_NOT_MET, MUTED, SMALL_SIZE, TEXT, style

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

#: Hatches so a met week and a missed one differ in more than colour (colour blindness, greyscale print).
HATCH_MET = ""
HATCH_NOT_MET = "//"


def week_label(week: Any) -> str:
    """An x-axis label a non-specialist reads at a glance: the week's Monday, e.g. ``23 Nov``."""
    monday = week.monday
    return f"{monday.day} {monday:%b}"


def streak_title(streak: int, aim: str = "goal") -> str:
    unit = "week" if streak == 1 else "weeks"
    return f"Streak: {streak} {unit} meeting the {aim}"


def weekly_chart(counts: Any, target: int | None = None) -> Figure:
    """Bars of sessions per ISO week (oldest left), the goal band, and the current streak in the title.

    Weeks that met the goal are green and plain; weeks that did not are orange and hatched. The last
    bar is this week (still under way) and is marked so. An empty ``weeks`` gives an empty chart with
    a note rather than an error, since a new visitor has no sessions yet.

    ``target`` is a plan's sessions a week (the adherence review's): one number, not a band, so it is
    drawn as a dashed line (gid ``plan_target``) and the legend and the title speak of the plan. The
    weeks' ``met`` must then be against that number, as :func:`~iliopsoas_lib.adherence.review_adherence`
    counts them.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    weeks = tuple(counts.weeks)
    low, high = (counts.goal_low, counts.goal_high) if target is None else (target, target)
    with style():
        fig = Figure(figsize=(max(6.0, 0.75 * len(weeks) + 2.6), 4.4), dpi=100)
        ax = fig.add_axes((0.1, 0.2, 0.86, 0.64))
        ax.spines[["top", "right"]].set_visible(False)
        if target is None:
            band = ax.axhspan(
                low,
                high,
                color=GOAL_BAND,
                alpha=0.3,
                zorder=0,
                linewidth=0,
                label=f"goal: {low}-{high} a week",
            )
            band.set_gid("goal_band")
            aim: Artist = Patch(facecolor=GOAL_BAND, alpha=0.3, label=band.get_label())
            words = ("goal met", "goal not met", "goal")
        else:
            label = f"plan: {target} a week"
            ax.axhline(target, color=TEXT, linestyle="--", linewidth=1.6, zorder=3, gid="plan_target")
            aim = Line2D([], [], color=TEXT, linestyle="--", label=label)
            words = ("plan met", "fewer than planned", "plan")
        positions = list(range(len(weeks)))
        heights = [w.count for w in weeks]
        bars = ax.bar(
            positions,
            heights,
            width=0.7,
            color=[GOAL_MET if w.met else GOAL_NOT_MET for w in weeks],
            edgecolor=TEXT,
            linewidth=0.8,
            zorder=2,
        )
        for bar, week in zip(bars, weeks, strict=True):
            bar.set_hatch(HATCH_MET if week.met else HATCH_NOT_MET)
            bar.set_gid(f"week:{week.monday.isoformat()}")
        top = max([*heights, high]) + 1
        ax.set_ylim(0, top + 0.6)
        ax.set_xlim(-0.6, max(len(weeks) - 0.4, 0.6))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("sessions")
        ax.set_xticks(positions, [week_label(w) for w in weeks])
        ax.set_xlabel("week starting (Monday)")
        for x, count in zip(positions, heights, strict=True):
            ax.text(x, count + 0.08, str(count), ha="center", va="bottom", fontsize=SMALL_SIZE + 1, zorder=3)
        if weeks:
            last = positions[-1]
            ax.annotate(
                "this week",
                xy=(last, heights[-1] + 0.55),
                xytext=(last, top + 0.3),
                ha="center",
                va="center",
                fontsize=SMALL_SIZE + 1,
                fontweight="bold",
                color=TEXT,
                arrowprops={"arrowstyle": "->", "color": MUTED},
                zorder=4,
                gid="this_week",
            )
        else:
            ax.text(
                0.5,
                0.5,
                "No weeks to show yet",
                transform=ax.transAxes,
                ha="center",
                va="center",
                color=MUTED,
            )
        ax.set_title(streak_title(counts.streak, words[2]), loc="left", pad=12)
        legend = [
            Patch(facecolor=GOAL_MET, edgecolor=TEXT, hatch=HATCH_MET, label=words[0]),
            Patch(facecolor=GOAL_NOT_MET, edgecolor=TEXT, hatch=HATCH_NOT_MET, label=words[1]),
            aim,
        ]
        fig.legend(
            handles=legend,
            loc="lower center",
            ncol=3,
            frameon=False,
            fontsize=SMALL_SIZE + 1,
            bbox_to_anchor=(0.5, 0.0),
        )
    return fig


__all__ = ["HATCH_MET", "HATCH_NOT_MET", "streak_title", "week_label", "weekly_chart"]

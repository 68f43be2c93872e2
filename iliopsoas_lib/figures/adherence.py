"""A patient's weeks against their plan: the weekly chart, with the plan's target as a line.

It is :func:`~iliopsoas_lib.figures.weekly.weekly_chart` (same bars, colours, hatches and "this week"
mark, so the clinician sees the chart the patient sees), drawn from an
:class:`~iliopsoas_lib.adherence.AdherenceReview`. A plan is one number a week, not a 2-3 band, so the
band is replaced by a dashed line at the target and the legend and title speak of the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import SMALL_SIZE, TEXT, style
from .weekly import weekly_chart

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.figure import Figure


def adherence_chart(review: Any) -> Figure:
    """Bars of sessions per week since the plan started, and a dashed line at the planned number.

    ``review`` is an :class:`~iliopsoas_lib.adherence.AdherenceReview` (anything with ``weeks``,
    ``streak`` and ``target``, with ``goal_low`` and ``goal_high`` equal to the target).
    """
    from matplotlib.lines import Line2D

    fig = weekly_chart(review)
    ax = fig.axes[0]
    with style():
        for patch in [p for p in ax.patches if p.get_gid() == "goal_band"]:
            patch.remove()
        label = f"plan: {review.target} a week"
        ax.axhline(review.target, color=TEXT, linestyle="--", linewidth=1.6, zorder=3, gid="plan_target")
        unit = "week" if review.streak == 1 else "weeks"
        ax.set_title(f"Streak: {review.streak} {unit} meeting the plan", loc="left", pad=12)
        (old,) = fig.legends
        handles = [*old.legend_handles[:2], Line2D([], [], color=TEXT, linestyle="--", label=label)]
        old.remove()
        fig.legend(
            handles=handles,
            labels=["plan met", "fewer than planned", label],
            loc="lower center",
            ncol=3,
            frameon=False,
            fontsize=SMALL_SIZE + 1,
            bbox_to_anchor=(0.5, 0.0),
            labelcolor=TEXT,
        )
    return fig


__all__ = ["adherence_chart"]

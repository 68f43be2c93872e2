"""A patient's weeks against their plan: the weekly chart, with the plan's target as a line.

It is :func:`~iliopsoas_lib.figures.weekly.weekly_chart` (same bars, colours, hatches and "this week"
mark, so the clinician sees the chart the patient sees), drawn from an
:class:`~iliopsoas_lib.adherence.AdherenceReview` with the plan's target: a plan is one number a week,
not the guideline's band, so the chart shows a dashed line at the target and speaks of the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .weekly import weekly_chart

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.figure import Figure


def adherence_chart(review: Any) -> Figure:
    """Bars of sessions per week since the plan started, and a dashed line at the planned number.

    ``review`` is an :class:`~iliopsoas_lib.adherence.AdherenceReview` (anything with ``weeks``,
    ``streak`` and ``target``).
    """
    return weekly_chart(review, target=review.target)


__all__ = ["adherence_chart"]

"""The biomechanics model's numbers in words and plain-text tables, for notebooks and the widget's readout.

Sentences are made here, never in the model (:mod:`iliopsoas_lib.biomechanics`), so the model stays
numbers a figure, a test or another page can use as they are. nbval compares these texts in notebook 06,
so every number is rounded the same way each time.
"""

from __future__ import annotations

from ..biomechanics import (
    MUSCLES,
    Posture,
    lengthening,
    lengthening_table,
    moment_arm,
    musculotendon_length,
    references,
    sitting_shortening,
)
from ..catalog import Catalog, load_catalog


def lengthening_table_text(catalog: Catalog | None = None) -> str:
    """The table as plain text, for notebooks (nbval compares it) and the widget's readout."""
    catalog = catalog or load_catalog()
    rows = lengthening_table(catalog)
    width = max(len(catalog.stretch(r.stretch_id).name) for r in rows)
    lines = [
        f"{'Stretch':{width}s}  {'hip extension':>14s}  {'iliacus longer by':>18s}  {'psoas longer by':>16s}",
    ]
    for r in rows:
        ext = f"{r.extension_deg[0]:g} to {r.extension_deg[1]:g} deg"
        ili = f"{r.iliacus.low_percent:.1f} to {r.iliacus.high_percent:.1f} %"
        pso = f"{r.psoas.low_percent:.1f} to {r.psoas.high_percent:.1f} %"
        lines.append(f"{catalog.stretch(r.stretch_id).name:{width}s}  {ext:>14s}  {ili:>18s}  {pso:>16s}")
    lines.append("(estimated postures; lengths relative to standing upright, from the gait2392 model)")
    return "\n".join(lines)


def sitting_text() -> str:
    """Sitting shortening of both muscles as two plain sentences."""
    lines = []
    for muscle in MUSCLES:
        s = sitting_shortening(muscle)
        lines.append(
            f"{muscle}: {s.standing_m * 100:.1f} cm standing, {s.sitting_m * 100:.1f} cm sitting "
            f"({s.flexion_deg:g} deg hip flexion): {s.mm:.0f} mm ({s.percent:.1f} %) shorter"
        )
    return "\n".join(lines)


def lengths_text(hip_flexion_deg: float) -> str:
    """Both muscles' lengths at one hip angle, for the widget readout and notebooks."""
    parts = []
    for muscle in MUSCLES:
        length = musculotendon_length(muscle, hip_flexion_deg)
        change = lengthening(muscle, Posture(hip_flexion_deg))
        parts.append(f"{muscle} {length * 100:.1f} cm ({change:+.1f} % vs standing)")
    return f"{angle_words(hip_flexion_deg)}: " + "; ".join(parts)


def moment_arms_text(hip_flexion_deg: float = 0.0) -> str:
    """Both muscles' hip flexion moment arms (leverage) at one angle, as plain text."""
    parts = [f"{m} {moment_arm(m, hip_flexion_deg) * 100:.1f} cm" for m in MUSCLES]
    return f"Flexion moment arm, {angle_words(hip_flexion_deg).lower()}: " + "; ".join(parts)


def angle_words(hip_flexion_deg: float) -> str:
    """'hip bent 30°', 'hip straight (standing)', 'hip extended 15°' for titles and readouts."""
    if abs(hip_flexion_deg) < 0.05:
        return "Hip straight (standing)"
    if hip_flexion_deg > 0:
        return f"Hip bent forward {hip_flexion_deg:g}°"
    return f"Hip extended back {-hip_flexion_deg:g}°"


def references_markdown(catalog: Catalog | None = None, *entries: object) -> str:
    """The numbered reference list for a page that uses the model: what ``entries`` cite (the stretch
    postures when none are given), then the model, each with its ``[id]``."""
    from .text import sources_markdown

    return sources_markdown(references(catalog, *entries))


__all__ = [
    "angle_words",
    "lengthening_table_text",
    "lengths_text",
    "moment_arms_text",
    "references_markdown",
    "sitting_text",
]

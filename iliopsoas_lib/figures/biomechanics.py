"""Drawings of the musculotendon path model: a side view of the hip, and length against hip angle.

Both figures draw only what :mod:`iliopsoas_lib.biomechanics` computes (path points, lengths,
postures); they compute nothing of their own, so a test can compare their line data with the model.
The pelvis and thigh-bone outlines are schematic: the model file gives no bone shapes we ship, only
the hip centre, the knee centre and the muscle points, which are drawn exactly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import BODY_FAR, BONE, BONE_EDGE, MUSCLE_COLOURS, MUTED, OKABE_ITO, SMALL_SIZE, TEXT, style

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.figure import Figure

    from ..catalog import Catalog

#: The hip angles the length chart covers (degrees of flexion; negative is extension). The model
#: allows -120 to 120, but hips do not extend much beyond 30 degrees, so the chart stays in life's range.
CHART_RANGE_DEG = (-30.0, 120.0)

#: Fixed view window of the side view (pelvis frame, metres), the same at every angle so an animation
#: by the slider does not jump.
SIDE_VIEW_XLIM = (-0.36, 0.42)
SIDE_VIEW_YLIM = (-0.52, 0.16)

#: Schematic outline of the right hip bone seen from the side (pelvis frame, metres): front of the
#: pelvis at x = 0 (the bony points at the front of the hip), sacrum behind, sitting bone below.
PELVIS_OUTLINE = (
    (0.0, 0.0),
    (-0.025, 0.045),
    (-0.08, 0.07),
    (-0.14, 0.045),
    (-0.165, -0.01),
    (-0.15, -0.06),
    (-0.12, -0.09),
    (-0.115, -0.135),
    (-0.085, -0.14),
    (-0.065, -0.115),
    (-0.03, -0.105),
    (-0.015, -0.075),
    (-0.012, -0.035),
)
#: The lowest lumbar vertebrae, drawn as blocks above the sacrum (the psoas starts on them).
LUMBAR_BLOCKS = ((-0.10, 0.055), (-0.105, 0.095), (-0.11, 0.135))

#: Thigh-bone landmarks in the femur frame (metres): the head is the hip centre (origin); the shaft
#: ends at the knee centre read from the model file.
FEMUR_HEAD_RADIUS = 0.024
FEMUR_NECK_END = (-0.012, -0.06, 0.0)
GREATER_TROCHANTER = (-0.03, -0.035, 0.0)
SHAFT_HALF_WIDTH = 0.014
CONDYLE_RADIUS = 0.026

#: The muscle names of the model and their colours (the same as in every other figure).
MODEL_COLOURS = {"iliacus": MUSCLE_COLOURS["iliacus"], "psoas": MUSCLE_COLOURS["psoas_major"]}
MODEL_LABELS = {"iliacus": "Iliacus", "psoas": "Psoas (major)"}
#: One colour per stretch band in the length chart (Okabe-Ito, without the muscles' colours).
BAND_COLOURS = (
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["yellow"],
    OKABE_ITO["reddish_purple"],
)


def side_view_title(hip_flexion_deg: float) -> str:
    from ..presentation.biomechanics import angle_words

    return f"Side view of the right hip: {angle_words(hip_flexion_deg).lower()}"


def hip_side_view(hip_flexion_deg: float = 0.0, hip_adduction_deg: float = 0.0) -> Figure:
    """The pelvis and thigh bone from the right side at a hip angle, with both muscle paths drawn.

    The thigh bone is placed by the model's hip joint, and each muscle line joins the path points
    the model uses at this angle. A via point the model switches off (beyond 45 degrees of flexion)
    is shown as an open circle. Front of the body to the right.
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Polygon, Rectangle

    from ..biomechanics import MUSCLES, femur_to_pelvis, geometry, musculotendon_length, path_points

    geo = geometry()
    with style():
        fig = Figure(figsize=(6.4, 6.0), dpi=100)
        ax = fig.add_axes((0.02, 0.1, 0.96, 0.8))
        ax.set_aspect("equal")
        ax.set_xlim(*SIDE_VIEW_XLIM)
        ax.set_ylim(*SIDE_VIEW_YLIM)
        ax.set_axis_off()
        ax.set_title(side_view_title(hip_flexion_deg))

        pelvis = Polygon(PELVIS_OUTLINE, closed=True, facecolor=BONE, edgecolor=BONE_EDGE, linewidth=1.5)
        pelvis.set_gid("pelvis")
        ax.add_patch(pelvis)
        for x, y in LUMBAR_BLOCKS:
            ax.add_patch(
                Rectangle((x, y - 0.016), 0.06, 0.032, facecolor=BODY_FAR, edgecolor=BONE_EDGE, linewidth=1.0)
            )
        ax.text(-0.125, 0.135, "lower spine", fontsize=SMALL_SIZE, color=MUTED, ha="right", va="center")
        ax.text(-0.2, -0.03, "pelvis", fontsize=SMALL_SIZE, color=MUTED, ha="right")

        # Thigh bone: landmarks in the femur frame, moved by the model's hip joint.
        knee = geo.knee_centre_in_femur
        femur_local = np.array([[0.0, 0.0, 0.0], FEMUR_NECK_END, GREATER_TROCHANTER, knee])
        head, neck_end, trochanter, knee_centre = femur_to_pelvis(
            femur_local, hip_flexion_deg, hip_adduction_deg
        )[:, :2]
        direction = (knee_centre - neck_end) / np.linalg.norm(knee_centre - neck_end)
        normal = np.array([-direction[1], direction[0]]) * SHAFT_HALF_WIDTH
        shaft = Polygon(
            [neck_end + normal, knee_centre + normal, knee_centre - normal, neck_end - normal, trochanter],
            closed=True,
            facecolor=BONE,
            edgecolor=BONE_EDGE,
            linewidth=1.5,
        )
        shaft.set_gid("femur")
        ax.add_patch(shaft)
        ax.add_patch(Circle(tuple(knee_centre), CONDYLE_RADIUS, facecolor=BONE, edgecolor=BONE_EDGE))
        ax.add_patch(Circle(tuple(head), FEMUR_HEAD_RADIUS, facecolor=BONE, edgecolor=BONE_EDGE))
        ax.plot(*head, marker="+", color=TEXT, markersize=9, gid="hip_centre")
        label_x, label_y = knee_centre + np.array([0.035, -0.01])
        ax.text(label_x, label_y, "thigh bone", fontsize=SMALL_SIZE, color=MUTED)

        for muscle in MUSCLES:
            points, active = path_points(muscle, hip_flexion_deg, hip_adduction_deg)
            xy = points[:, :2]
            length = musculotendon_length(muscle, hip_flexion_deg, hip_adduction_deg)
            colour = MODEL_COLOURS[muscle]
            (line,) = ax.plot(
                xy[active, 0],
                xy[active, 1],
                color=colour,
                linewidth=3.2,
                marker="o",
                markersize=5,
                solid_capstyle="round",
                label=f"{MODEL_LABELS[muscle]}: {length * 100:.1f} cm",
                zorder=4,
            )
            line.set_gid(f"path:{muscle}")
            if not active.all():
                ax.plot(
                    xy[~active, 0],
                    xy[~active, 1],
                    linestyle="none",
                    marker="o",
                    markersize=7,
                    markerfacecolor="none",
                    markeredgecolor=colour,
                    zorder=4,
                    gid=f"unused:{muscle}",
                )
        # A 10 cm scale bar, so the lengths have a size on the page.
        x0, y0 = SIDE_VIEW_XLIM[0] + 0.03, SIDE_VIEW_YLIM[0] + 0.03
        ax.plot([x0, x0 + 0.1], [y0, y0], color=TEXT, linewidth=2, gid="scale_bar")
        ax.text(x0 + 0.05, y0 + 0.012, "10 cm", ha="center", fontsize=SMALL_SIZE)
        ax.legend(loc="upper right", fontsize=SMALL_SIZE, frameon=False)
        fig.text(
            0.5,
            0.03,
            "Muscle paths from the OpenSim gait2392 model (Delp et al. 1990, CC BY 3.0); bones schematic.",
            ha="center",
            fontsize=SMALL_SIZE - 1,
            color=MUTED,
        )
    return fig


def length_chart(
    current_deg: float | None = None,
    catalog: Catalog | None = None,
    step_deg: float = 0.5,
) -> Figure:
    """Each muscle's length change from standing (percent) against hip angle, with the stretches' bands.

    Top: the two curves, the sitting point (90 degrees) and, if given, the current angle. Bottom, on
    the same angle axis: one shaded band per stretch over the hip angles its estimated posture
    covers, so a reader can see which part of the curve each stretch reaches.
    """
    import numpy as np
    from matplotlib.figure import Figure

    from ..biomechanics import MUSCLES, SITTING_FLEXION_DEG, load_postures, musculotendon_length
    from ..catalog import load_catalog

    catalog = catalog or load_catalog()
    postures = load_postures(catalog=catalog)
    low, high = CHART_RANGE_DEG
    angles = np.arange(low, high + step_deg / 2, step_deg)
    with style():
        fig = Figure(figsize=(8.4, 6.4), dpi=100)
        ax = fig.add_axes((0.12, 0.42, 0.84, 0.5))
        bands = fig.add_axes((0.12, 0.1, 0.84, 0.24), sharex=ax)
        ax.spines[["top", "right"]].set_visible(False)
        ax.axhline(0, color=MUTED, linewidth=0.8)
        ax.axvline(0, color=MUTED, linewidth=0.8, linestyle=":")
        for muscle in MUSCLES:
            lengths = musculotendon_length(muscle, angles)
            standing = musculotendon_length(muscle, 0.0)
            percent = (lengths - standing) / standing * 100.0
            (line,) = ax.plot(
                angles, percent, color=MODEL_COLOURS[muscle], linewidth=2.6, label=MODEL_LABELS[muscle]
            )
            line.set_gid(f"length:{muscle}")
            sitting = (musculotendon_length(muscle, SITTING_FLEXION_DEG) - standing) / standing * 100.0
            ax.plot(
                SITTING_FLEXION_DEG, sitting, marker="s", color=MODEL_COLOURS[muscle], gid=f"sitting:{muscle}"
            )
        ax.annotate(
            "sitting (90°)",
            (SITTING_FLEXION_DEG, sitting + 1.0),
            xytext=(SITTING_FLEXION_DEG - 2, -8),
            fontsize=SMALL_SIZE,
            ha="center",
            arrowprops={"arrowstyle": "->", "color": MUTED},
        )
        if current_deg is not None:
            marker = ax.axvline(current_deg, color=TEXT, linewidth=1.6, linestyle="--", gid="current")
            marker.set_label(f"now: {current_deg:g}°")
        ax.set_ylabel("length change vs standing (%)")
        ax.set_title("Muscle length against hip angle")
        ax.legend(loc="upper right", fontsize=SMALL_SIZE, frameon=False)
        ax.tick_params(labelbottom=False)

        names = []
        for row, (stretch_id, posture) in enumerate(postures.items()):
            start, end = posture.flexion_range_deg()
            colour = BAND_COLOURS[row % len(BAND_COLOURS)]
            bands.broken_barh(
                [(start, max(end - start, 0.5))],
                (row - 0.35, 0.7),
                facecolors=colour,
                edgecolor=TEXT,
                linewidth=0.6,
                gid=f"band:{stretch_id}",
            )
            names.append(catalog.stretch(stretch_id).name if stretch_id in catalog.stretches else stretch_id)
        bands.set_yticks(range(len(names)), names, fontsize=SMALL_SIZE)
        bands.invert_yaxis()
        bands.set_xlim(low, high)
        bands.spines[["top", "right"]].set_visible(False)
        bands.set_xlabel("hip angle (degrees): − extended back, 0 standing, + bent forward")
        bands.set_title("Estimated hip angles of each stretch", fontsize=SMALL_SIZE + 1)
        # Stretch names are long: give the label column room.
        left = min(0.4, 0.06 + 0.0095 * max((len(n) for n in names), default=0))
        ax.set_position((left, 0.42, 0.95 - left, 0.5))
        bands.set_position((left, 0.1, 0.95 - left, 0.24))
    return fig


def lengths_for_chart(muscle: str, step_deg: float = 0.5) -> tuple[Any, Any]:
    """The (angles, percent) the chart draws for a muscle: for tests and for printing."""
    import numpy as np

    from ..biomechanics import musculotendon_length

    low, high = CHART_RANGE_DEG
    angles = np.arange(low, high + step_deg / 2, step_deg)
    standing = musculotendon_length(muscle, 0.0)
    return angles, (musculotendon_length(muscle, angles) - standing) / standing * 100.0


__all__ = ["CHART_RANGE_DEG", "hip_side_view", "length_chart", "lengths_for_chart", "side_view_title"]

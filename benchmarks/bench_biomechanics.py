"""How long the path model takes for a full 0.1-degree sweep of hip flexion, both muscles.

The sweep covers the model's whole hip_flexion_r range (-120 to 120 degrees: 2401 angles) for the
iliacus and the psoas. The vectorised library call is timed against two baselines measured in the
same run: (1) a Python loop calling the library once per angle (what a caller without arrays would
do), and (2) a hand-specialised pure-Python loop that handles flexion only (no adduction or
rotation, plain floats), the cheapest possible way to get the same numbers. Each figure is the
median of N runs. Goal: the sweep under 50 ms.

Run: python benchmarks/bench_biomechanics.py [--runs N]. Writes benchmarks/results/biomechanics.json.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from pathlib import Path

import numpy as np

from iliopsoas_lib import biomechanics as bio

RESULTS = Path(__file__).resolve().parent / "results"
GOAL_SECONDS = 0.050
STEP_DEG = 0.1


def sweep_angles() -> np.ndarray:
    low, high = bio.geometry().range_deg("hip_flexion_r")
    count = round((high - low) / STEP_DEG) + 1
    return np.linspace(round(low, 6), round(high, 6), count)


def library_sweep(angles: np.ndarray) -> dict[str, np.ndarray]:
    return {muscle: bio.musculotendon_length(muscle, angles) for muscle in bio.MUSCLES}


def pure_python_sweep(angles: list[float]) -> dict[str, list[float]]:
    """The same lengths with plain floats: flexion-only rotation about Z, points summed one by one."""
    geo = bio.geometry()
    cx, cy, cz = (float(v) for v in geo.parent_translation)
    out = {}
    for muscle in bio.MUSCLES:
        points = geo.muscles[muscle].points
        lengths = []
        for deg in angles:
            q = math.radians(deg)
            c, s = math.cos(q), math.sin(q)
            total, prev = 0.0, None
            for p in points:
                if p.active_range is not None and not p.active_range[0] <= q <= p.active_range[1]:
                    continue
                x, y, z = p.location
                here = (x, y, z) if p.frame == "pelvis" else (cx + c * x - s * y, cy + s * x + c * y, cz + z)
                if prev is not None:
                    total += math.dist(prev, here)
                prev = here
            lengths.append(total)
        out[muscle] = lengths
    return out


def scalar_loop_sweep(angles: list[float]) -> dict[str, list[float]]:
    return {m: [bio.musculotendon_length(m, a) for a in angles] for m in bio.MUSCLES}


def median_seconds(func, arg, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func(arg)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    angles = sweep_angles()
    as_list = angles.tolist()
    library_sweep(angles)  # warm up: reads the geometry TOML once
    fast = library_sweep(angles)
    slow = pure_python_sweep(as_list)
    worst = max(float(np.max(np.abs(fast[m] - np.array(slow[m])))) for m in bio.MUSCLES)
    library = median_seconds(library_sweep, angles, args.runs)
    baseline = median_seconds(pure_python_sweep, as_list, max(3, args.runs // 3))
    scalar = median_seconds(scalar_loop_sweep, as_list, 3)
    verdict = "met" if library < GOAL_SECONDS else "NOT met"
    print(f"sweep: {len(angles)} angles x {len(bio.MUSCLES)} muscles ({STEP_DEG} degree steps)")
    print(f"  library (numpy, vectorised)   {library * 1000:8.2f} ms  (median of {args.runs})")
    print(f"  baseline 1: library per angle {scalar * 1000:8.2f} ms  ({scalar / library:.0f}x slower)")
    ratio = baseline / library
    print(f"  baseline 2: flexion-only loop {baseline * 1000:8.2f} ms  (ratio to library {ratio:.2f})")
    print(f"  largest difference, library vs baseline 2: {worst:.2e} m")
    print(f"goal: sweep under {GOAL_SECONDS * 1000:.0f} ms: {verdict}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "biomechanics.json"
    out.write_text(
        json.dumps(
            {
                "angles": len(angles),
                "muscles": list(bio.MUSCLES),
                "step_deg": STEP_DEG,
                "runs": args.runs,
                "library_median_seconds": library,
                "baseline_library_per_angle_median_seconds": scalar,
                "baseline_flexion_only_pure_python_median_seconds": baseline,
                "ratio_per_angle_to_library": scalar / library,
                "ratio_flexion_only_to_library": baseline / library,
                "max_difference_m": worst,
                "goal_seconds": GOAL_SECONDS,
                "goal_met": library < GOAL_SECONDS,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

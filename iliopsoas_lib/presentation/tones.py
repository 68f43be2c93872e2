"""The timer's cue tones, as a few numbers the browser plays with Web Audio.

A person holding a stretch is not looking at the screen: a soft tone marks each phase change and three
short beeps count down the last seconds of a hold. Each tone is a pitch, a length and a loudness; the
page makes it with an oscillator and a short fade in and out (so it does not click), scheduled ahead on
the audio clock. Nothing is downloaded and almost nothing is sent: a few numbers instead of sound files,
which matters on a phone's data plan, an offline clinic laptop and a Voilà page behind a strict proxy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tone:
    """A cue: pitch in hertz, length in seconds, loudness from 0 to 1."""

    frequency: float
    seconds: float
    volume: float = 0.4

    def __post_init__(self) -> None:
        if not 50 <= self.frequency <= 5000:
            raise ValueError(f"tone frequency must be 50-5000 Hz, got {self.frequency}")
        if not 0.02 <= self.seconds <= 2:
            raise ValueError(f"tone length must be 0.02-2 s, got {self.seconds}")
        if not 0 < self.volume <= 1:
            raise ValueError(f"tone volume must be above 0 and at most 1, got {self.volume}")


#: The timer's cues: a two-note chime would need mixing; a single clear pitch per meaning is enough.
PHASE_CHANGE = Tone(660.0, 0.35)
COUNTDOWN = Tone(880.0, 0.12)
DONE = Tone(523.25, 0.8)


def cue_tones() -> dict[str, list[float]]:
    """The three cues by the names a timer plan uses: ``[hertz, seconds, volume]`` for the browser."""
    return {
        name: [tone.frequency, tone.seconds, tone.volume]
        for name, tone in (("phase", PHASE_CHANGE), ("count", COUNTDOWN), ("done", DONE))
    }

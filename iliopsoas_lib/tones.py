"""Short cue tones generated in Python, as WAV bytes, so the timer fetches no sound files.

A person holding a stretch is not looking at the screen: a soft tone marks each phase change and three
short beeps count down the last seconds of a hold. The tones are synthesised here (a sine with a short
fade in and out, so they do not click) and sent to the browser as data URLs: nothing is downloaded,
which matters for an offline clinic laptop and a Voilà page behind a strict proxy.
"""

from __future__ import annotations

import base64
import io
import math
import struct
import wave
from dataclasses import dataclass

SAMPLE_RATE = 11_025  # plenty for tones of 500-900 Hz, and half the bytes sent to each visitor


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


def wav_bytes(tone: Tone, sample_rate: int = SAMPLE_RATE) -> bytes:
    """A mono 16-bit WAV of the tone, with a 10 ms fade at each end to avoid clicks."""
    n = round(tone.seconds * sample_rate)
    fade = max(1, round(0.01 * sample_rate))
    amplitude = 32767 * tone.volume
    frames = bytearray()
    for i in range(n):
        envelope = min(1.0, i / fade, (n - 1 - i) / fade)
        sample = amplitude * envelope * math.sin(2 * math.pi * tone.frequency * i / sample_rate)
        frames += struct.pack("<h", round(sample))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def data_url(tone: Tone) -> str:
    """The tone as a ``data:audio/wav;base64,...`` URL a browser can play without a request."""
    return "data:audio/wav;base64," + base64.b64encode(wav_bytes(tone)).decode("ascii")


def cue_urls() -> dict[str, str]:
    """The three cues the timer view plays, by name."""
    return {"phase": data_url(PHASE_CHANGE), "count": data_url(COUNTDOWN), "done": data_url(DONE)}

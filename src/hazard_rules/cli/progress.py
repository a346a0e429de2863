"""A one-line progress bar on stderr for long runs (records, percent, records/s, ETA).

Shown only when stderr is a terminal; redrawn at most five times a second.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Call with (records done, fraction of the input read or None); :meth:`close` ends
    the line.

    >>> import io
    >>> out = io.StringIO()
    >>> bar = Progress(out, enabled=True, interval=0)
    >>> bar(50_000, 0.5)
    >>> "50,000 records" in out.getvalue() and "50%" in out.getvalue()
    True
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None,
                 interval: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.interval = interval
        self.start = time.perf_counter()
        self.last = 0.0
        self.width = 0

    def __call__(self, records: int, fraction: float | None) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < self.interval and fraction != 1.0:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        parts = [f"{records:,} records"]
        if fraction is not None:
            filled = int(fraction * 20)
            parts.insert(0, "[" + "#" * filled + "." * (20 - filled) + f"] {fraction:4.0%}")
        parts.append(f"{records / elapsed:,.0f} records/s")
        if fraction:
            left = elapsed * (1 - fraction) / fraction
            parts.append(f"ETA {int(left // 60)}:{int(left % 60):02d}")
        line = "  ".join(parts)
        self.stream.write("\r" + line.ljust(self.width))
        self.width = len(line)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.width:
            self.stream.write("\n")
            self.stream.flush()

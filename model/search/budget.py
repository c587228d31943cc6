"""The search's limits: a memory budget for the arrays it grows and a deadline for its loops.

The exact search's arrays grow with the package space (partial sums in `model.search.zone`), and
its time with the Pareto frontier's size. Every allocation that grows with the space is checked
against `Budget.memory` before it is made (array sizes are known before concatenation), and
every loop checks the deadline; past either, the search falls back to a bounded alternative and
says so in the result (`model.search.types.Exactness`). Progress goes to `Budget.progress` (the
command line writes it to stderr), only once the search has run for a while.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

MEMORY_MB = 2_048
"""Default memory budget of the search's arrays, in MB (well under a laptop's memory)."""

TIME_LIMIT = 60.0
"""Default time limit of the search, in seconds."""

COUNT_SHARE = 0.25
"""Share of the time limit the count of acceptable packages may take before it reports bounds."""

FRONTIER_SHARE = 0.45
"""Share of the time limit by which the exact frontier must be done; past it the bargaining
package is searched by the bounded solver (`model.search.nash`) instead."""

BARGAIN_SHARE = 0.95
"""Share of the time limit the bounded bargaining search may run to. Little follows it: the
conflicts are searched only when it proves no package acceptable (then it stops early), and the
red lines the package sits on are not weighed against a package not proven best."""

MERGE_SHARE = 0.8
"""Share of the time limit after which the frontier search keeps only a beam (what is left goes
to the red lines the package sits on and the conflicts)."""

_QUIET = 2.0  # seconds before progress is shown: a quick search prints nothing


class OverBudget(Exception):
    """The next step would exceed the memory budget or the deadline has passed."""


@dataclass
class Budget:
    """Limits of one search (mutable: it keeps its start time and what it has reported)."""

    memory_mb: float = MEMORY_MB
    time_limit: float = TIME_LIMIT
    progress: Callable[[str], None] | None = None
    start: float = field(default_factory=time.monotonic)
    _last: float = 0.0

    @property
    def memory(self) -> int:
        """The budget in bytes (2**62 for no limit)."""
        return int(min(self.memory_mb * 2**20, 2**62))

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def left(self) -> float:
        """Seconds left before the deadline (negative once past)."""
        return self.time_limit - self.elapsed()

    def late(self, share: float = 1.0) -> bool:
        """Past `share` of the time limit?"""
        return self.elapsed() > share * self.time_limit

    def fits(self, n_bytes: float) -> bool:
        return n_bytes <= self.memory

    def check(self, n_bytes: float = 0, share: float = 1.0) -> None:
        """Raise OverBudget if n_bytes would exceed the memory budget or the time is past."""
        if n_bytes > self.memory or self.late(share):
            raise OverBudget
        self.say(None)

    def say(self, message: str | None, force: bool = False) -> None:
        """Report progress, at most once a second and only after the first seconds."""
        if self.progress is None or message is None:
            return
        now = self.elapsed()
        if force or (now > _QUIET and now - self._last >= 1.0):
            self._last = now
            self.progress(f"search: {message} ({now:.0f} s of {self.time_limit:.0f} s)")


UNLIMITED = Budget(memory_mb=float("inf"), time_limit=float("inf"))
"""No limit: the exact search whatever it costs (tests and brute-force comparisons)."""

"""The package space's gains and reservations as exact integers: the numbers the search adds and
compares.

Exactness and ties. Gains are rounded once to integer multiples of 2**-s (s <= 48, so the
rounding error of a package's utility is below 1e-13) and all sums are exact integer sums:
they do not depend on the order of addition, dominance is a strict partial order, and two
packages tie exactly when their rounded gains add up to the same integers.

The acceptance rule (no red line crossed, u_a >= reservation_a - TOLERANCE) is encoded three
times, for speed: `model.evaluation.verdicts.verdict` is the reference, one package at a time;
the search's exact integer sums (this module, used by `model.search.zone`) decide whole
package spaces at once; the sweep's arrays (`model.sweep`) decide thousands of drawn scenarios
at once. Tests keep the three equal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from model.evaluation.space import PackageSpace
from model.evaluation.verdicts import TOLERANCE

_MAX_SCALE_BITS = 48


@dataclass(frozen=True, eq=False)
class IntegerSpace:
    """The space's gains and reservations as exact integers (multiples of 1 / scale), the
    numbers the search compares; public so that brute-force checks can use the same ones.

    gain[i] is (k_i, n_actors): transposed from PackageSpace.gain, one row per candidate.
    An actor accepts (red lines aside) iff its summed gain >= reserve - tol.
    """

    gain: tuple[np.ndarray, ...]  # per issue (k_i, n_actors) int64, every candidate
    reserve: np.ndarray  # (n_actors,) int64
    tol: int
    scale: float


def integer_space(space: PackageSpace) -> IntegerSpace:
    """Scaled by the largest power of two (at most 2**48) that keeps every sum below 2**61."""
    bound = sum(float(np.abs(g).max(initial=0.0)) for g in space.gain)
    bound += float(np.abs(space.reservation).max(initial=0.0)) + 1.0
    bits = min(_MAX_SCALE_BITS, int(math.floor(math.log2(2.0**61 / bound))))
    scale = 2.0**bits
    gain = tuple(np.rint(np.asarray(g, float).T * scale).astype(np.int64) for g in space.gain)
    reserve = np.rint(np.asarray(space.reservation, float) * scale).astype(np.int64)
    return IntegerSpace(gain, reserve, int(math.floor(TOLERANCE * scale)), scale)

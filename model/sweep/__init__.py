"""How sure the verdicts are: draws of the uncertain inputs, vectorised evaluation, statistics."""

from model.sweep.engine import *  # noqa: F403

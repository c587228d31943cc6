"""The zone of possible agreement: exact search over the package space (computation and result
types only; rendering lives in model.outputs)."""

from model.search.engine import *  # noqa: F403

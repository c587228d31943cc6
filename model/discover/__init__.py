"""What would have to be true: scenario discovery (PRIM boxes) and global sensitivity (Sobol
indices) over the sweep's uncertain inputs, on local processes or a Dask cluster (computation
and result types only; rendering lives in model.outputs.discover).

    from model.discover import discover
    result = discover(load_scenario("scenarios/28-point.yaml"), draws=256, seed=1)
"""

from model.discover.design import (
    Design,
    DiscoverError,
    Input,
    design_draws,
    sobol_design,
    uncertain_inputs,
)
from model.discover.prim import Box, Limit, Step, find_boxes
from model.discover.run import DRAWS, HOLDS, HOLDS_NOT, DiscoverResult, Finding, discover
from model.discover.sobol import METHOD, Indices, sobol_indices
from model.discover.targets import Target, TargetError, parse_target

__all__ = [
    "DRAWS",
    "HOLDS",
    "HOLDS_NOT",
    "METHOD",
    "Box",
    "Design",
    "DiscoverError",
    "DiscoverResult",
    "Finding",
    "Indices",
    "Input",
    "Limit",
    "Step",
    "Target",
    "TargetError",
    "design_draws",
    "discover",
    "find_boxes",
    "parse_target",
    "sobol_design",
    "sobol_indices",
    "uncertain_inputs",
]

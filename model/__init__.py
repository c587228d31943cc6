"""negotiation-sim: which proposals satisfy which positions, why, and what deal could.

The Python API (the `sim` command is a thin layer over it):

    from model import load_scenario, run, write_outputs
    scenario = load_scenario("scenarios/28-point.yaml")
    results = run(scenario, seed=42)
    write_outputs(results, "outputs/28-point")
"""

from model.api import Problem, ScenarioError, load_scenario, run, write_outputs

__all__ = ["Problem", "ScenarioError", "load_scenario", "run", "write_outputs"]

"""Seeded synthetic scenarios of any size (up to 80 actors x 100 issues and beyond), for the
search's limits and `scale.py`.

    python benchmarks/synthetic.py ACTORS ISSUES [--camps C] [--red-lines R] [--edge E]
        [--proposals P] [--options K] [--seed S] > scenario.yaml

Actors sit in camps: with --camps C, actor a belongs to camp a mod C, whose ideal is at
c / (C - 1) of every issue's range (the two ends and the middles between), plus noise; without
it every actor is its own camp, spread evenly from one end to the other. Issues alternate
ordinal (3-5 options, or K) and numeric (a 0-100 range). Each actor draws red lines on its R
most salient issues (default 2): at_least / at_most the value at E (default 0.6) of the way from
its ideal to the far end, so a small E gives tight red lines, and opposed camps whose red lines
meet conflict. With --proposals P, P proposals with a random value on every issue (for the
sweep to judge). Every stake cites a placeholder source. Same arguments, same file.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np


def synthetic_yaml(
    n_actors: int,
    n_issues: int,
    seed: int = 1,
    options: int | None = None,
    camps: int | None = None,
    red_lines: int = 2,
    edge: float = 0.6,
    proposals: int = 0,
) -> str:
    """A scenario file's text (YAML; flow style so that it stays short)."""
    rng = np.random.default_rng(seed)
    out = [f"title: Synthetic {n_actors} actors x {n_issues} issues (seed {seed})", "issues:"]
    kinds, scales = [], []
    for i in range(n_issues):
        ordinal = options is not None or i % 2 == 0
        if ordinal:
            k = options if options is not None else int(rng.integers(3, 6))
            opts = ", ".join(f"{{id: o{j}, label: Option {j}}}" for j in range(k))
            sq = int(rng.integers(k))
            out += [f"  i{i}:", f"    label: Issue {i}", f"    options: [{opts}]"]
            out.append(f"    status_quo: o{sq}")
            kinds.append(("ordinal", k))
        else:
            sq = int(rng.integers(0, 101))
            out += [f"  i{i}:", f"    label: Issue {i}", "    range: [0, 100]", "    unit: points"]
            out.append(f"    status_quo: {sq}")
            kinds.append(("numeric", 101))
        scales.append(kinds[-1][1] - 1)
    out.append("actors:")
    if camps:
        centre = np.linspace(0.0, 1.0, camps) if camps > 1 else np.array([0.5])
        camp = centre[np.arange(n_actors) % camps]
    else:
        camp = np.linspace(0.0, 1.0, n_actors) if n_actors > 1 else np.array([0.5])
    for a in range(n_actors):
        sal = rng.dirichlet(np.ones(n_issues)) * 100
        lines = set(np.argsort(-sal)[:red_lines].tolist())
        out += [
            f"  a{a}:",
            f"    name: Actor {a}",
            f"    capability: {int(rng.integers(20, 101))}",
            "    stakes:",
        ]
        for i, (kind, k) in enumerate(kinds):
            x = float(np.clip(camp[a] + rng.normal(0, 0.15), 0, 1))
            top = k - 1
            pos = int(round(x * top))
            ideal = f"o{pos}" if kind == "ordinal" else str(pos)
            src = '[{url: "https://example.org/synthetic"}]'
            stake = (
                f"      i{i}: {{position: {ideal}, salience: {max(1.0, sal[i]):.1f}, sources: {src}"
            )
            if i in lines:
                far = 0 if pos > top / 2 else top
                at = int(round(pos + (far - pos) * edge))
                val = f"o{at}" if kind == "ordinal" else str(at)
                key = "at_least" if far == 0 else "at_most"
                stake += f", red_line: {{{key}: {val}, sources: {src}}}"
            out.append(stake + "}")
    out += ["proposals:", "  status-quo:", "    label: No deal"]
    for n in range(proposals):  # a random value on every issue: something for the sweep to judge
        out += [f"  p{n}:", f"    label: Proposal {n}", "    provisions:"]
        for i, (kind, k) in enumerate(kinds):
            v = int(rng.integers(k))
            out.append(f"      i{i}: {{value: {f'o{v}' if kind == 'ordinal' else v}}}")
    out.append(f"model: {{seed: {seed}, rounds: 5}}")
    return "\n".join(out) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("actors", type=int)
    p.add_argument("issues", type=int)
    p.add_argument("--options", type=int, help="every issue ordinal with this many options")
    p.add_argument("--camps", type=int, help="actors in this many camps (default: spread)")
    p.add_argument("--red-lines", type=int, default=2, help="red lines per actor (top issues)")
    p.add_argument("--edge", type=float, default=0.6, help="red line: share ideal -> far end")
    p.add_argument("--proposals", type=int, default=0, help="random proposals to judge")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    text = synthetic_yaml(
        a.actors, a.issues, a.seed, a.options, a.camps, a.red_lines, a.edge, a.proposals
    )
    sys.stdout.write(text)


if __name__ == "__main__":
    main()

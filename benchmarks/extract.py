"""How well `sim extract` reads: the seeds the actor files cite, and hand-labelled 2025 articles.

    python benchmarks/extract.py [--quick]

(a) Seeds: every (actor, issue, seed sentence) the actor files of scenarios/base.yaml cite for a
    position or a red line (a stake's sources, its red line's, and those of its dated changes);
    the share that `sim extract seeds/` finds with that actor and issue (a finding whose sentence
    lies inside the cited quote, or the quote inside it). Misses are listed: some citations are
    the analyst's judgement (a party's text cited for another party's stake), which no reading
    of the sentence alone can find.
(b) Articles: benchmarks/data/articles (index.yaml: URL, date, dev/test; labels.yaml: the hand
    labels). Units are (article, sentence, actor, issue) with issue null for a whole text:
    precision and recall of the extractor's units against the labels, and the accuracy of the
    kind on the units both have; overall, per split and per actor (test, then all).
(c) Speed: extract on a ~1 MB document made of the seeds and articles repeated, against the
    baseline of splitting it into sentences alone (the floor any reader pays); median of 3,
    interleaved. `--quick` skips (c).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.extract.documents import Document, read_documents  # noqa: E402
from model.extract.find import Extractor, Finding, extract  # noqa: E402
from model.scenario.loader import load_scenario  # noqa: E402
from model.scenario.seeds import normalise  # noqa: E402
from model.scenario.sentences import split  # noqa: E402

ARTICLES = ROOT / "benchmarks" / "data" / "articles"


def cited_for_stakes(scenario) -> list[tuple[str, str, str, str]]:
    out = set()
    for actor in scenario.actors.values():
        for stake in actor.stakes.values():
            stances = (stake.initial, *stake.changes) if stake.initial else (stake,)
            for stance in stances:
                line = stance.red_line.sources if stance.red_line else ()
                for src in (*stance.sources, *line):
                    if src.doc and src.quote:
                        out.add((actor.id, stake.issue, src.doc, src.quote))
    return sorted(out)


def seeds_share(scenario) -> None:
    findings = extract(scenario, read_documents([ROOT / "seeds"]))
    wanted = cited_for_stakes(scenario)
    hits, misses = 0, []
    for aid, iid, doc, quote in wanted:
        q = normalise(quote)
        ok = any(
            f.actor == aid
            and f.issue == iid
            and Path(f.doc).name == doc
            and (normalise(f.quote) in q or q in normalise(f.quote))
            for f in findings
        )
        hits += ok
        if not ok:
            got = sorted(
                {
                    (f.actor, f.issue)
                    for f in findings
                    if normalise(f.quote) in q or q in normalise(f.quote)
                },
                key=str,
            )
            misses.append(
                f"  - {aid}/{iid} {doc[:3]}: {quote[:80]!r}... extract gave {got or 'nothing'}"
            )
    print(f"(a) seeds: {hits}/{len(wanted)} = {hits / len(wanted):.0%} of the cited seed sentences "
          "found with the right actor and issue")  # fmt: skip
    print("\n".join(misses))


def units(findings: list[Finding], doc: str) -> dict[tuple, str]:
    return {(doc, f.quote, f.actor, f.issue): f.kind for f in findings}


def labelled_units(labels: dict, doc: str, text: str) -> dict[tuple, str]:
    sentences = [s.text for s in split(text)]
    out = {}
    for row in labels.get(doc) or []:
        match = [s for s in sentences if s.startswith(row["at"])]
        if len(match) != 1:
            raise SystemExit(f"labels.yaml: {doc}: {row['at']!r} matches {len(match)} sentences")
        out[(doc, match[0], row["actor"], row["issue"])] = row["kind"]
    return out


def score(name: str, found: dict, truth: dict) -> str:
    both = set(found) & set(truth)
    p = len(both) / len(found) if found else float("nan")
    r = len(both) / len(truth) if truth else float("nan")
    kind = sum(found[u] == truth[u] for u in both)
    acc = f"{kind}/{len(both)} = {kind / len(both):.0%}" if both else "n/a"
    return (f"  {name:<10} precision {len(both)}/{len(found)} = {p:.0%}   recall {len(both)}/"
            f"{len(truth)} = {r:.0%}   kind accuracy {acc}")  # fmt: skip


def articles(scenario) -> None:
    index = yaml.safe_load((ARTICLES / "index.yaml").read_text(encoding="utf-8"))["articles"]
    labels = yaml.safe_load((ARTICLES / "labels.yaml").read_text(encoding="utf-8"))
    extractor = Extractor(scenario)
    found: dict[str, dict] = {"dev": {}, "test": {}}
    truth: dict[str, dict] = {"dev": {}, "test": {}}
    for entry in index:
        text = (ARTICLES / entry["file"]).read_text(encoding="utf-8")
        fs = extractor.document(Document(entry["file"], text))
        found[entry["split"]].update(units(fs, entry["file"]))
        truth[entry["split"]].update(labelled_units(labels, entry["file"], text))
    n = Counter(e["split"] for e in index)
    print(f"\n(b) articles: {n['test']} test + {n['dev']} dev, "
          f"{len(truth['test']) + len(truth['dev'])} labelled units")  # fmt: skip
    for split_name in ("test", "dev"):
        print(score(split_name, found[split_name], truth[split_name]))
    allf = found["test"] | found["dev"]
    allt = truth["test"] | truth["dev"]
    print(score("all", allf, allt))
    for split_name, f_all, t_all in (("test", found["test"], truth["test"]), ("all", allf, allt)):
        print(f"  per actor ({split_name}):")
        for aid in scenario.actors:
            f = {u: k for u, k in f_all.items() if u[2] == aid}
            t = {u: k for u, k in t_all.items() if u[2] == aid}
            print("  " + score(aid, f, t))


def speed(scenario) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    block = "\n\n".join(texts)
    doc = Document("big.txt", (block + "\n\n") * (1_000_000 // len(block) + 1))
    extractor = Extractor(scenario)
    base, full = [], []
    for _ in range(3):
        t = time.perf_counter()
        split(doc.text)
        base.append(time.perf_counter() - t)
        t = time.perf_counter()
        extractor.document(doc)
        full.append(time.perf_counter() - t)
    mb = len(doc.text.encode()) / 1e6
    b, f = statistics.median(base), statistics.median(full)
    print(f"\n(c) speed on {mb:.1f} MB: sentence split alone {b:.1f} s, extract {f:.1f} s "
          f"(x{f / b:.1f} the split)")  # fmt: skip


def main() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "base.yaml")
    seeds_share(scenario)
    articles(scenario)
    if "--quick" not in sys.argv:
        speed(scenario)


if __name__ == "__main__":
    main()

"""CPU of the prefilter's discovery rounds: asked incrementally (``core/discovered.py``) against every
question asked again after each round (``prefilter.discovered_needles``, as scans did before).

    python benchmarks/bench_discovery_rounds.py CORPUS [REPEAT]

One scan of CORPUS records the analysed files at each discovery; both ways then replay those
states REPEAT times (default 15), alternated; prints the median CPU per round (ms), and checks
that both find the same names and modules at every round.
"""
import statistics
import sys
import time
from pathlib import Path

from ssot_lsp.core import scan
from ssot_lsp.core.classify import Classifier
from ssot_lsp.core.discovered import DiscoveredNames, indexed_facts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.prefilter import discovered_needles


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    root, repeat = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 15
    from ssot_lsp.core.project import open_workspace

    workspace = open_workspace([root])
    states: list[dict] = []
    recorded = scan.Scan._discovered_names

    def record(self: scan.Scan) -> tuple:
        states.append(dict(self.loaded))
        return recorded(self)

    scan.Scan._discovered_names = record  # type: ignore[method-assign]
    state = scan.Scan(workspace, None, 1, None)
    state.run(None, True, None)
    scan.Scan._discovered_names = recorded  # type: ignore[method-assign]
    config, modules = workspace.config, state.modules
    times: dict[str, list[list[float]]] = {"incremental": [], "every question": []}
    for attempt in range(repeat):
        for way in (times if attempt % 2 == 0 else list(times)[::-1]):
            rounds, found = [], []
            discovered = DiscoveredNames(config, modules)
            settled: set = set()
            for loaded in states:
                start = time.process_time()
                if way == "incremental":
                    found.append(discovered.update(loaded))
                else:
                    index = WorkspaceIndex(known_modules=modules)
                    index.facts_by_module = indexed_facts(loaded, modules)
                    found.append(discovered_needles(index, Classifier(config, index), loaded.values(), settled))
                rounds.append(time.process_time() - start)
            times[way].append(rounds)
            if way == "incremental":
                incremental = found
            else:
                assert found == incremental, "the two ways differ"
    print(f"{root}: {len(states)} discoveries, analysed files {[len(s) for s in states]}")
    for way, runs in times.items():
        per_round = [statistics.median(run[i] for run in runs) * 1000 for i in range(len(states))]
        print(f"  {way:15s} " + "  ".join(f"{ms:6.1f}" for ms in per_round) + f"   total {sum(per_round):6.1f} ms CPU")


if __name__ == "__main__":
    main()

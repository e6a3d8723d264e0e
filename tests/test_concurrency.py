"""One catalog shared by eight threads answers exactly as it does for one.

The catalog fills its caches (paths, answers, the graph) on first use; threads that ask
at the same time must neither see a half-built entry nor build a different answer. The
eight processes that share one download cache are in ``tests/hostile/test_downloads.py``
(``test_eight_processes_share_one_cache``). No timing is asserted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import bio2map
from bio2map.formats.layers import parse_layer

THREADS = 8
LAYER = [
    "subject_id,subject_label,predicate_id,object_id\n",
    "myorg:SUP-01,supplier register,intersects_with,iso27002:5.19\n",
    "myorg:SUP-01,,subset_of,21(2)(d)\n",
    "myorg:R,risk register,subset_of,2024/2690 5.2(a)\n",
]
REQUIREMENTS = ["21(2)(a)", "21(2)(d)", "21(2)(j)", "Art. 23", "ir2690:5.2.a", "myorg:SUP-01"]
CONTROLS = ["5.19", "5.20", "8.8", "A.5.1", "bio2:5.19.01", "iso27001:6.1.2", "myorg:SUP-01"]
SOA = ["5.19", "5.20", "5.21", "8.5", "8.8", "8.15"]  # controls, all implemented


def _fresh() -> bio2map.Catalog:
    """A catalog nobody has asked anything yet (empty caches, no graph)."""
    base = bio2map.load("1.3")
    return base.with_layers(parse_layer(LAYER, base, name="myorg"))


def _questions(cat: bio2map.Catalog) -> list[tuple[str, Callable[[], Any]]]:
    qs: list[tuple[str, Callable[[], Any]]] = []
    for r in REQUIREMENTS:
        qs.append((f"controls_for {r}", lambda r=r: cat.controls_for(r).as_dict()))
        qs.append((f"controls_for_data {r}", lambda r=r: cat.controls_for_data(r)))
    for c in CONTROLS:
        qs.append((f"requirements_for {c}", lambda c=c: cat.requirements_for(c).as_dict()))
    for basis in ("explicit", "all"):
        qs.append((f"uncovered {basis}", lambda b=basis: cat.uncovered(b).as_dict()))
    qs.append(("coverage", lambda: cat.coverage(SOA).as_dict()))
    qs.append(("coverage with a clause", lambda: cat.coverage([*SOA, "iso27001:6.1.2"]).as_dict()))
    qs.append(("cbw coverage", lambda: cat.cbw_coverage(SOA).as_dict()))
    qs.append(("search", lambda: [n.id for n in cat.search("leverancier")]))
    qs.append(("search own", lambda: [n.id for n in cat.search("register")]))
    qs.append(
        ("graph", lambda: sorted((u, v, d["kind"]) for u, v, d in cat.graph.edges(data=True)))
    )
    return qs


def test_eight_threads_share_one_catalog() -> None:
    expected = {name: ask() for name, ask in _questions(_fresh())}
    shared = _fresh()
    questions = _questions(shared)
    start = threading.Barrier(THREADS)
    answers: list[dict[str, Any]] = [{} for _ in range(THREADS)]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        order = questions[i:] + questions[:i]  # each thread asks in another order
        if i % 2:
            order.reverse()
        try:
            start.wait()
            for _ in range(2):  # the second round reads what the first one cached
                for name, ask in order:
                    got = ask()
                    answers[i].setdefault(name, got)
                    assert got == answers[i][name], name
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for got in answers:
        assert got == expected
    assert shared.graph is shared.graph  # built once
    own = expected["requirements_for myorg:SUP-01"]
    assert [r["id"] for r in own["requirements"][:2]] == ["nis2:21.2.a", "nis2:21.2.d"]

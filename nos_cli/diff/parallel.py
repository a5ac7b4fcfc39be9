"""Matching a long role on every core: 200,000 statements take about 0.12 ms each on one core here.

Only a model held wholly in memory is matched in parallel (a map of at most SMALL_MODEL nodes): the worker
processes are forked and must never touch the parent's SQLite connection, so the whole model is read before
the fork (MapModel.complete). Anything else, or a machine of one core, or a
platform without fork, is matched in this process.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nos_cli.diff.match import MapModel, Match

#: Under this many distinct statements, starting processes costs more than it saves.
PARALLEL_MIN = 20_000

_MODEL: MapModel | None = None  # the model the forked workers match against (set before the fork)
_THRESHOLD = 0.0


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def match_texts(model: MapModel, texts: Sequence[str], threshold: float, keep: int | None) -> list[list[Match]] | None:
    """Each text's matches, worked out by forked workers; None when this run should match in-process."""
    from nos_cli.diff.stored import SMALL_MODEL

    workers = min(cores(), 8)
    if len(texts) < PARALLEL_MIN or workers < 2 or model.size > SMALL_MODEL:
        return None
    import gc
    import multiprocessing  # ~15 ms: only for a role long enough to gain from it

    from rapidfuzz import fuzz  # noqa: F401 - imported once here, not in each worker

    from nos_cli.gcpause import paused_gc

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    model.complete()  # every row the workers can need, read before the fork
    global _MODEL, _THRESHOLD
    _MODEL, _THRESHOLD = model, threshold
    gc.freeze()  # the collector in a worker then never walks (and so copies) the parent's pages
    try:
        size = -(-len(texts) // (workers * 4))  # a few chunks a worker: one slow chunk does not hold up the rest
        chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
        # The collector paused here and off in the workers: matches hold no cycles, and a collection over the
        # million objects a long role's results make cost more CPU than the matching saved (measured).
        with paused_gc(), multiprocessing.get_context("fork").Pool(workers, initializer=gc.disable) as pool:
            done = pool.map(_match_chunk, chunks)
    finally:
        _MODEL = None
        gc.unfreeze()
    return [matches[:keep] for chunk in done for matches in chunk]


def _match_chunk(texts: Sequence[str]) -> list[list[Match]]:
    from nos_cli.diff.match import match_statement
    from nos_cli.diff.role import Statement

    assert _MODEL is not None
    return [match_statement(_MODEL, Statement(text, 0), threshold=_THRESHOLD).matches for text in texts]

"""Matching a long role on every core: 200,000 statements take about 0.12 ms each on one core here.

Only a model held wholly in memory is matched in parallel (a map of at most SMALL_MODEL nodes, every word of
the role's statements rare in it): the worker processes are forked and must never touch the parent's SQLite
connection, so everything they read is read before the fork. Anything else, or a machine of one core, or a
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
    import multiprocessing  # ~15 ms: only for a role long enough to gain from it

    from nos_cli.diff.match import prepare

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    if not prepare(model, texts):  # a word too common in the map: its candidates would be read in the workers
        return None
    global _MODEL, _THRESHOLD
    _MODEL, _THRESHOLD = model, threshold
    try:
        size = -(-len(texts) // (workers * 4))  # a few chunks a worker: one slow chunk does not hold up the rest
        chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = pool.map(_match_chunk, chunks)
    finally:
        _MODEL = None
    return [matches[:keep] for chunk in done for matches in chunk]


def _match_chunk(texts: Sequence[str]) -> list[list[Match]]:
    from nos_cli.diff.match import match_statement
    from nos_cli.diff.role import Statement

    assert _MODEL is not None
    return [match_statement(_MODEL, Statement(text, 0), threshold=_THRESHOLD).matches for text in texts]

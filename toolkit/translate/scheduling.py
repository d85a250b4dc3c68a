"""Which batches decode when, on how many cores, and when a source sentence counts as finished.

On the CPU every worker is one core running one batch: measured faster than one batch over all cores (a
decoder step is many small operations, which split badly across threads, and a multi-threaded step stalls
when another process takes a core). The decoder and search steps are compiled with TorchScript and run
without the GIL, so plain threads give real parallelism.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

R = TypeVar("R")


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def plan_workers(
    n_jobs: int, batch_size: int, *, threads: int, workers: int | None, device: str
) -> tuple[int, int]:
    """How many batches to decode at once, and the batch size that gives each worker one.

    ``workers``: at most that many at once (None: one per thread). Fewer jobs than workers x batch size
    are spread so that every core gets some. Off the CPU, one batch at a time."""
    n = min(threads, n_jobs, workers or threads)
    if device != "cpu" or n <= 1:
        return 1, batch_size
    return n, max(1, min(batch_size, math.ceil(n_jobs / n)))


def longest_first(lengths: Sequence[int], size: int) -> list[list[int]]:
    """Job indices in batches of ``size``, longest first (similar lengths share a batch, and the longest
    batches start first so that none is left running alone at the end)."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    return [order[k : k + size] for k in range(0, len(order), size)]


def run_batches(
    batches: list[list[int]],
    decode: Callable[[list[int]], R],
    finished: Callable[[list[int], R], None],
    *,
    workers: int,
    threads: int,
) -> None:
    """``decode`` each batch on ``workers`` threads (``threads // workers`` torch threads each) and hand
    each result to ``finished`` in this thread as it completes. A failed batch or Ctrl-C stops the batches
    not started yet and re-raises."""
    if workers <= 1:
        for idx in batches:
            finished(idx, decode(idx))
        return
    from concurrent.futures import ThreadPoolExecutor, as_completed

    import torch

    def work(idx: list[int]) -> R:
        torch.set_num_threads(max(1, threads // workers))  # OpenMP keeps it per thread
        return decode(idx)

    pool = ThreadPoolExecutor(workers, thread_name_prefix="decode")
    try:
        futures = {pool.submit(work, idx): idx for idx in batches}
        for fut in as_completed(futures):
            finished(futures[fut], fut.result())
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown()
        torch.set_num_threads(threads)


class SentenceProgress:
    """Counts source sentences as done when the last of their decoded jobs is (a long sentence is several
    pieces; identical pieces of several sentences are one job)."""

    def __init__(self, plan: Sequence[Sequence[int]], report: Callable[[int], None] | None):
        self.report = report
        self.remaining = [len(set(jobs)) for jobs in plan]
        self.users: dict[int, list[int]] = {}
        for s, jobs in enumerate(plan):
            for j in set(jobs):
                self.users.setdefault(j, []).append(s)

    def done(self, jobs: Sequence[int]) -> None:
        if self.report is None:
            return
        n = 0
        for j in jobs:
            for s in self.users.get(j, []):
                self.remaining[s] -= 1
                n += self.remaining[s] == 0
        if n:
            self.report(n)

"""Selection: how many sentences a group gets, and which, by MMR (maximal marginal relevance).

MMR picks, one at a time, the sentence maximising ``LAMBDA x relevance - (1 - LAMBDA) x redundancy``,
where redundancy is the squared maximum cosine to the sentences already picked, so a second pick that
says what the first said loses to one that adds something. Squared, because all sentences of a section
share its topic: moderate relatedness (cosine 0.3 -> 0.09) costs little - the sentence with a point's
figures still follows the point's opening sentence - while restating (0.8 -> 0.64) costs much.
On top of that a sentence whose cosine to a pick reaches ``DUPLICATE`` is never picked: a group then
gets fewer sentences than asked rather than a near-duplicate. Ties go to the earlier sentence; the
picks come back in document order.
"""

from __future__ import annotations

import math

from ..errors import UsageError

#: Trade-off between relevance and novelty (1.0 = relevance only).
LAMBDA = 0.7
#: Cosine at or above which two sentences count as saying the same thing.
DUPLICATE = 0.7
#: Share of each section picked when neither ``sentences`` nor ``ratio`` is given.
DEFAULT_RATIO = 0.25


def check_params(sentences: int | None, ratio: float | None, overall: int | None) -> None:
    """Raise UsageError for contradictory or out-of-range summary sizes."""
    if sentences is not None and ratio is not None:
        raise UsageError("give either --sentences or --ratio, not both")
    if sentences is not None and (
        isinstance(sentences, bool) or not isinstance(sentences, int) or sentences < 1
    ):
        raise UsageError(f"--sentences must be a whole number of at least 1, got {sentences!r}")
    if ratio is not None:
        if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 < ratio <= 1:
            raise UsageError(f"--ratio must be a number in (0, 1], got {ratio!r}")
    if overall is not None and (isinstance(overall, bool) or not isinstance(overall, int) or overall < 1):
        raise UsageError(f"--overall must be a whole number of at least 1, got {overall!r}")


def quota(n: int, *, sentences: int | None = None, ratio: float | None = None) -> int:
    """How many of ``n`` candidates to pick: ``sentences`` (capped at n), else round(ratio x n), at least 1.

    Rounding is half up (a section of 6 at 0.25 gets 2); an empty group gets 0.
    """
    if n <= 0:
        return 0
    if sentences is not None:
        return min(sentences, n)
    r = DEFAULT_RATIO if ratio is None else ratio
    return max(1, min(n, math.floor(r * n + 0.5)))


def mmr(
    relevance: list[float],
    sim: list[list[float]],
    k: int,
    *,
    lam: float = LAMBDA,
    duplicate: float = DUPLICATE,
) -> list[int]:
    """Indices of up to ``k`` picks by MMR, in ascending (document) order."""
    n = len(relevance)
    picked: list[int] = []
    redundancy = [0.0] * n  # squared max cosine to any pick so far
    left = list(range(n))
    while left and len(picked) < k:
        best, best_val = -1, -math.inf
        for i in left:
            if picked and redundancy[i] >= duplicate * duplicate:
                continue
            val = round(lam * relevance[i] - (1.0 - lam) * redundancy[i], 9)
            if val > best_val:  # strict: the earlier sentence wins a tie
                best, best_val = i, val
        if best < 0:
            break
        picked.append(best)
        left.remove(best)
        for i in left:
            redundancy[i] = max(redundancy[i], sim[i][best] * sim[i][best])
    return sorted(picked)

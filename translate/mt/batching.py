"""Group sentences into batches under a token budget, and put results back in order.

Sentences are sorted by length, longest first, so that each batch holds
sentences of similar length and little of it is padding; a batch is closed
when one more sentence would exceed the budget of padded tokens
(``longest x sentences``) or the number of sentences allowed. This follows
CTranslate2's ``_batch_iterator`` with ``batch_type="tokens"``.

Engines translate batch by batch and hand the per-batch results to
:func:`scatter`, which returns them in input order::

    plan = list(batches(lengths, max_tokens=4096, max_size=32))
    outputs = [translate([sentences[i] for i in batch.indices]) for batch in plan]
    in_order = scatter(plan, outputs)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

#: Sentences in the first batch a watched engine translates (one whose ``on_batch`` is set):
#: a small batch done in seconds gives a progress display its first rate and ETA.
PROBE_SIZE = 4


@dataclass(frozen=True)
class Batch:
    """Some items translated together.

    Attributes:
        indices: positions of the items in the input sequence, longest item first.
        max_length: length of the longest item, in tokens.
    """

    indices: tuple[int, ...]
    max_length: int

    @property
    def padded_tokens(self) -> int:
        """Tokens the batch costs once every item is padded to the longest one."""
        return self.max_length * len(self.indices)


def batches(lengths: Sequence[int], *, max_tokens: int, max_size: int, first_size: int | None = None) -> Iterator[Batch]:
    """Group items, given their lengths in tokens, into batches under a budget.

    Items are taken longest first (ties in input order, so the result is
    deterministic) and a batch grows while ``max_length x size <= max_tokens``
    and ``size <= max_size``. An item longer than ``max_tokens`` forms a batch
    of its own: nothing is ever dropped. Each index appears in exactly one
    batch; batches come longest first, so a batch that does not fit in memory
    shows up at once.

    Args:
        lengths: length of each item in tokens.
        max_tokens: budget of padded tokens per batch.
        max_size: most items per batch.
        first_size: most items of the first batch (a probe that finishes
            quickly, so that progress shows a rate from the first sentences).

    Raises:
        ValueError: a length is negative, or a limit is less than 1.
    """
    if max_tokens < 1 or max_size < 1 or (first_size is not None and first_size < 1):
        raise ValueError(f"max_tokens, max_size and first_size must be at least 1, not {max_tokens}, {max_size} and {first_size}")
    if any(length < 0 for length in lengths):
        raise ValueError("lengths must not be negative")
    order = sorted(range(len(lengths)), key=lambda index: -lengths[index])
    current: list[int] = []
    longest = 0
    size = min(first_size or max_size, max_size)
    for index in order:
        if current and (len(current) >= size or longest * (len(current) + 1) > max_tokens):
            yield Batch(tuple(current), longest)
            current = []
            size = max_size
        if not current:
            longest = lengths[index]
        current.append(index)
    if current:
        yield Batch(tuple(current), longest)


def scatter(plan: Sequence[Batch], outputs: Sequence[Sequence[T]]) -> list[T]:
    """Put per-batch results back in input order.

    Args:
        plan: the batches, as :func:`batches` made them (every index once).
        outputs: for each batch, one result per item, in the order of ``Batch.indices``.

    Returns:
        The results, result ``i`` belonging to input item ``i``.

    Raises:
        ValueError: the outputs do not match the batches, or the batches do not
            cover every position from 0 exactly once.
    """
    if len(plan) != len(outputs):
        raise ValueError(f"{len(outputs)} outputs for {len(plan)} batches")
    size = sum(len(batch.indices) for batch in plan)
    missing = object()
    results: list[object] = [missing] * size
    for number, (batch, output) in enumerate(zip(plan, outputs, strict=True)):
        if len(output) != len(batch.indices):
            raise ValueError(f"batch {number} has {len(batch.indices)} items but {len(output)} outputs")
        for index, value in zip(batch.indices, output, strict=True):
            if not 0 <= index < size or results[index] is not missing:
                raise ValueError(f"index {index} is out of range or appears twice")
            results[index] = value
    return results  # type: ignore[return-value]  # every slot was filled exactly once

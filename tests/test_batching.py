"""Tests for translate.mt.batching: the budget, completeness, order, edge cases."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys

import pytest

from translate.mt.batching import Batch, batches, scatter

SEEDS = range(200)


def random_case(seed: int) -> tuple[list[int], int, int]:
    """Lengths (some longer than the budget, many ties), a token budget and a size limit."""
    rng = random.Random(seed)
    max_tokens = rng.randint(1, 600)
    lengths = [rng.choice((rng.randint(0, 12), rng.randint(1, 250))) for _ in range(rng.randint(0, 300))]
    return lengths, max_tokens, rng.randint(1, 40)


@pytest.mark.parametrize("seed", SEEDS)
def test_budget_and_size_respected(seed: int) -> None:
    lengths, max_tokens, max_size = random_case(seed)
    for batch in batches(lengths, max_tokens=max_tokens, max_size=max_size):
        assert 1 <= len(batch.indices) <= max_size
        assert batch.max_length == max(lengths[i] for i in batch.indices)
        assert batch.padded_tokens <= max_tokens or len(batch.indices) == 1


@pytest.mark.parametrize("seed", SEEDS)
def test_every_index_exactly_once(seed: int) -> None:
    lengths, max_tokens, max_size = random_case(seed)
    seen = [i for batch in batches(lengths, max_tokens=max_tokens, max_size=max_size) for i in batch.indices]
    assert sorted(seen) == list(range(len(lengths)))


@pytest.mark.parametrize("seed", SEEDS)
def test_sorted_longest_first_and_batches_full(seed: int) -> None:
    """Lengths never increase across the plan, and a batch is closed only when the next item would not fit."""
    lengths, max_tokens, max_size = random_case(seed)
    plan = list(batches(lengths, max_tokens=max_tokens, max_size=max_size))
    flat = [lengths[i] for batch in plan for i in batch.indices]
    assert flat == sorted(flat, reverse=True)
    for batch in plan[:-1]:
        size = len(batch.indices)
        assert size == max_size or batch.max_length * (size + 1) > max_tokens


@pytest.mark.parametrize("seed", SEEDS)
def test_scatter_restores_input_order(seed: int) -> None:
    lengths, max_tokens, max_size = random_case(seed)
    items = [f"sentence {i}" for i in range(len(lengths))]
    plan = list(batches(lengths, max_tokens=max_tokens, max_size=max_size))
    outputs = [[items[i].upper() for i in batch.indices] for batch in plan]
    assert scatter(plan, outputs) == [item.upper() for item in items]


@pytest.mark.parametrize("seed", range(20))
def test_deterministic_and_stable_for_ties(seed: int) -> None:
    lengths, max_tokens, max_size = random_case(seed)
    first = list(batches(lengths, max_tokens=max_tokens, max_size=max_size))
    assert first == list(batches(tuple(lengths), max_tokens=max_tokens, max_size=max_size))
    flat = [i for batch in first for i in batch.indices]
    for a, b in itertools.pairwise(flat):
        if lengths[a] == lengths[b]:
            assert a < b


def test_empty_input() -> None:
    assert list(batches([], max_tokens=100, max_size=8)) == []
    assert scatter([], []) == []


def test_single_huge_item_is_kept_alone() -> None:
    plan = list(batches([5, 10_000, 7, 3], max_tokens=100, max_size=8))
    assert plan[0] == Batch((1,), 10_000)
    assert plan[1:] == [Batch((2, 0, 3), 7)]


def test_example_plan() -> None:
    lengths = [10, 40, 40, 12, 30, 5]
    plan = list(batches(lengths, max_tokens=90, max_size=3))
    assert plan == [Batch((1, 2), 40), Batch((4, 3, 0), 30), Batch((5,), 5)]


def test_size_limit_alone() -> None:
    plan = list(batches([1] * 10, max_tokens=1_000, max_size=4))
    assert [batch.indices for batch in plan] == [(0, 1, 2, 3), (4, 5, 6, 7), (8, 9)]


@pytest.mark.parametrize(
    ("lengths", "max_tokens", "max_size"),
    [([1, -1], 10, 2), ([1], 0, 2), ([1], 10, 0)],
    ids=["negative-length", "zero-budget", "zero-size"],
)
def test_invalid_arguments(lengths: list[int], max_tokens: int, max_size: int) -> None:
    with pytest.raises(ValueError):
        list(batches(lengths, max_tokens=max_tokens, max_size=max_size))


def test_scatter_rejects_mismatched_outputs() -> None:
    plan = list(batches([3, 2, 1], max_tokens=4, max_size=2))
    with pytest.raises(ValueError, match="outputs for"):
        scatter(plan, [["a"]])
    with pytest.raises(ValueError, match="has 1 items but 2 outputs"):
        scatter(plan, [["a", "b"]] * len(plan))


def test_scatter_rejects_overlapping_batches() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        scatter([Batch((0, 1), 1), Batch((1,), 1)], [["a", "b"], ["c"]])


@pytest.mark.parametrize("module", ["translate.mt.batching", "translate.mt.quality", "translate.mt.clauses"])
def test_no_heavy_imports(module: str) -> None:
    """The helpers every backend shares load without torch or transformers."""
    code = f"import sys, {module}; print(sorted({{'torch', 'transformers', 'ctranslate2'}} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_batch_limits_follow_the_device_unless_set() -> None:
    from translate.errors import ConfigError
    from translate.mt.decoding import DecodingConfig, decoding_config

    assert DecodingConfig().batch_limits("cpu") == (4096, 32)
    assert DecodingConfig().batch_limits("cuda") == (32768, 256)
    chosen = decoding_config({"batch_tokens": 1000, "max_batch_size": 8})
    assert chosen.batch_limits("cpu") == chosen.batch_limits("cuda") == (1000, 8)
    assert DecodingConfig(max_input_tokens=500).batch_limits("cpu") == (4096, 32)
    with pytest.raises(ConfigError, match="batch_tokens must be at least max_input_tokens"):
        DecodingConfig(batch_tokens=100)
    assert DecodingConfig().signature() == decoding_config({"batch_tokens": 8192}).signature()  # batching never changes the output


@pytest.mark.parametrize("seed", range(50))
def test_a_small_first_batch_then_the_same_limits(seed: int) -> None:
    lengths, max_tokens, max_size = random_case(seed)
    plan = list(batches(lengths, max_tokens=max_tokens, max_size=max_size, first_size=4))
    assert sorted(i for batch in plan for i in batch.indices) == list(range(len(lengths)))
    if plan:
        assert len(plan[0].indices) <= min(4, max_size)
        assert plan[0].indices == list(batches(lengths, max_tokens=max_tokens, max_size=min(4, max_size)))[0].indices
    for batch in plan[1:]:
        assert 1 <= len(batch.indices) <= max_size
        assert batch.max_length * len(batch.indices) <= max_tokens or len(batch.indices) == 1


def test_first_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        list(batches([1, 2], max_tokens=10, max_size=2, first_size=0))

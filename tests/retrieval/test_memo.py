"""perf (issue 13): the bounded memo (retrieval/memo.py) never holds more than its limit,
gives back what was computed for a key, computes a batch of up to its limit keys once, and
keeps a key in use while new keys pass through (it no longer forgets every key at once when
full)."""

from __future__ import annotations

from retrieval.memo import Memo, memo_of


def _counting(memo: Memo, keys):
    calls: list = []
    got = [memo.get(k, lambda k=k: calls.append(k) or k * 10) for k in keys]
    return got, calls


def test_the_memo_is_bounded_and_gives_what_was_computed():
    for limit in (1, 2, 3, 4, 16, 100):
        memo = Memo(limit)
        for i in range(5 * limit + 7):
            assert memo.get(i, lambda i=i: i * 10) == i * 10
            assert len(memo) <= limit
        assert memo.get(5 * limit + 6, lambda: None) == (5 * limit + 6) * 10  # the latest key is kept


def test_a_hot_key_is_kept_while_new_keys_pass_through():
    memo = Memo(16)
    memo.get("hot", lambda: 1)
    calls = []
    for i in range(200):  # many more new keys than the memo holds, the hot key asked between
        memo.get(i, lambda: i)
        memo.get("hot", lambda: calls.append(1) or 1)
    assert not calls  # emptied when full, it lost the hot key every 16 keys


def test_a_batch_that_fits_in_the_memo_is_computed_once():
    memo = Memo(100)
    for _ in range(3):  # a batch of new keys passes through, then the batch is asked again
        _counting(memo, range(1000, 1150))
        first, calls = _counting(memo, range(100))
        again, calls_again = _counting(memo, range(100))
        assert first == again == [k * 10 for k in range(100)]
        assert calls == list(range(100)) and not calls_again
        assert len(memo) == 100


def test_the_oldest_unused_key_goes_first():
    memo = Memo(4)
    for k in "abcd":
        memo.put(k, k)
    memo.get("a", lambda: None)  # used: carried over
    memo.put("e", "e")
    memo.put("f", "f")
    _, calls = _counting(memo, ["a", "d", "e", "f"])
    assert not calls  # "b" and "c", the least recently used, were let go
    _, calls = _counting(memo, ["b"])
    assert calls == ["b"]


def test_put_replaces_a_value_in_either_generation():
    memo = Memo(4)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("c", 3)  # "a" and "b" are now the older generation
    memo.put("a", 9)
    assert memo.get("a", lambda: None) == 9
    assert len(memo) <= 4


def test_memo_of_keeps_one_memo_per_owner_and_name():
    class Owner:
        pass

    owner = Owner()
    memo = memo_of(owner, "_m", 8)
    assert memo_of(owner, "_m", 8) is memo and memo.limit == 8
    assert memo_of(Owner(), "_m", 8) is not memo

"""Offline token counting with tiktoken's cl100k_base, read from the file shipped in
retrieval/resources (named as tiktoken's cache names it), so nothing is downloaded."""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from binascii import a2b_base64
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by encoding() only: a cold `troly ask` never counts tokens
    import tiktoken

CL100K_CACHE_NAME = "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"  # sha1 of the encoding's URL
CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
_CL100K_PATTERN = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""


def cache_dir() -> Path:
    """The folder holding the shipped encoding, laid out as TIKTOKEN_CACHE_DIR expects."""
    return Path(__file__).resolve().parent / "resources"  # not importlib.resources: a cold start skips it


def _ranks_file() -> Path:
    """The decoded ranks kept beside the shipped file, as Python keeps compiled modules."""
    return cache_dir() / "__pycache__" / f"cl100k.{sys.implementation.cache_tag}.marshal"


def _ranks(data: bytes) -> dict[bytes, int]:
    """The encoding's mergeable ranks: read from the kept marshal file when it was made from
    these very bytes, else decoded from the shipped text and kept (best effort: a read-only
    install decodes each time). perf (issue 13): decoding cost an ingest 0.16 s of CPU,
    reading the marshal file 0.05 s; the dict is the same."""
    from . import kept as kept_file

    kept = _ranks_file()
    ranks = kept_file.read(kept, CL100K_SHA256)
    if isinstance(ranks, dict):
        return ranks
    # perf (issue 13): binascii's decoder straight, not base64.b64decode's checks per token
    ranks = {a2b_base64(tok): int(rank) for tok, rank in (line.split() for line in data.splitlines() if line)}
    kept_file.write(kept, CL100K_SHA256, ranks)
    return ranks


def use_offline_cache() -> None:
    """Point third-party tiktoken users (langchain) at the shipped file. Call at the edge."""
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache_dir()))


@functools.cache
def encoding() -> tiktoken.Encoding:
    """cl100k_base built from the shipped file, its SHA-256 checked."""
    data = (cache_dir() / CL100K_CACHE_NAME).read_bytes()
    if hashlib.sha256(data).hexdigest() != CL100K_SHA256:
        raise RuntimeError("tệp mã hoá cl100k_base đi kèm bị hỏng; hãy cài lại gói")
    ranks = _ranks(data)
    import tiktoken

    special = {
        "<|endoftext|>": 100257,
        "<|fim_prefix|>": 100258,
        "<|fim_middle|>": 100259,
        "<|fim_suffix|>": 100260,
        "<|endofprompt|>": 100276,
    }
    return tiktoken.Encoding("cl100k_base", pat_str=_CL100K_PATTERN, mergeable_ranks=ranks, special_tokens=special)


def count_tokens(text: str) -> int:
    """Number of cl100k_base tokens in text."""
    return len(encoding().encode_ordinary(text))


# Python splits words on these, cl100k's pattern does not count them as white space
_NOT_WHITE_SPACE = frozenset("\x1c\x1d\x1e\x1f")


def at_most(text: str, limit: int) -> bool:
    """Whether text has at most limit tokens; counted only when neither bound settles it: a
    token is at least one byte, and there are at least as many tokens as words. perf
    (issue 13): the ingest asks whether each clause is tiny (under a dozen tokens), which
    its words answer without tiktoken nine times out of ten.

    The word bound: cl100k's pattern (``_CL100K_PATTERN``) cuts the text into pieces each
    encoded into one token or more, and no piece holds white space between two other
    characters (white space only opens one, or ends one, or is one), so the characters of
    every word lie in pieces of their own. Python's ``str.split`` and the pattern's ``\\s``
    agree on white space (Unicode's White_Space) except for four control characters, with
    which the bound is not used."""
    if len(text.encode("utf-8")) <= limit:
        return True
    if len(text.split()) > limit and _NOT_WHITE_SPACE.isdisjoint(text):
        return False
    return count_tokens(text) <= limit

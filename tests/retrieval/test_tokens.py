"""Token counting works with no network and no tiktoken cache configured."""

from __future__ import annotations

import os
import subprocess
import sys

from retrieval.tokens import cache_dir, count_tokens


def test_count_tokens_offline_in_a_clean_process():
    env = {k: v for k, v in os.environ.items() if k not in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR")}
    env.update(HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9")
    code = "from retrieval.tokens import count_tokens; print(count_tokens('Kinh phí chi cho R&D đạt 2% GDP'))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 5


def test_matches_tiktoken_through_the_cache_folder(monkeypatch):
    import tiktoken

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(cache_dir()))
    text = "Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    assert count_tokens(text) == len(tiktoken.get_encoding("cl100k_base").encode(text))
    assert sorted(p.name for p in cache_dir().iterdir() if len(p.name) == 40) == [
        "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"
    ]

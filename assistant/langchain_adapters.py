"""The assistant as LangChain parts, so a LangChain user composes them with their own:

- ``TrolyRetriever``: the hybrid (BM25 + dense) search as a ``BaseRetriever``; each
  ``Document`` is one clause, its metadata the clause's label, path and document.
- ``AnswerChain``: the whole answering chain (condense → search → generate → check
  citations) as a ``Runnable``; input a question or {"question", "history"}, output the
  ``Answer`` of the public API (``answer.to_json()`` is the JSON contract).

Both go through the public ``Assistant`` API only, and pass LangChain's standard suites
(tests/assistant/test_langchain.py).
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableConfig
from pydantic import ConfigDict

from .api import Assistant
from .types import Answer, Hit, Message


def hit_document(hit: Hit) -> Document:
    """One search hit as a LangChain Document (the clause text, with where it comes from)."""
    c = hit.chunk
    return Document(
        page_content=c.text,
        id=c.id,
        metadata={
            "chunk_id": c.id,
            "doc_id": c.doc_id,
            "doc_short": c.doc_short,
            "clause": c.path,
            "label": c.label,
            "authority": c.authority,
            "score": float(hit.score),
        },
    )


class TrolyRetriever(BaseRetriever):
    """The assistant's hybrid search as a LangChain retriever (``k`` results, optionally in one
    document: ``doc`` is its short name or id, e.g. "57-NQ/TW")."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    app: Assistant
    k: int = 8
    doc: str | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None, **kwargs: Any
    ) -> list[Document]:
        return [hit_document(h) for h in self.app.search(query, k or self.k, self.doc)]


def _history(raw: Any) -> list[Message]:
    messages = []
    for m in raw or []:
        if isinstance(m, Message):
            messages.append(m)
        elif isinstance(m, dict):
            messages.append(Message(m["role"], m["content"]))
        else:  # a LangChain message: HumanMessage / AIMessage
            messages.append(Message("user" if getattr(m, "type", "") == "human" else "assistant", str(m.content)))
    return messages


class AnswerChain(Runnable[Any, Answer]):
    """The answering chain as a Runnable: ``invoke("câu hỏi")`` or
    ``invoke({"question": ..., "history": [{"role", "content"}, ...], "doc": "57-NQ/TW"})``."""

    def __init__(self, app: Assistant):
        self.app = app

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        request = {"question": input} if isinstance(input, str) else dict(input)
        return self._call_with_config(
            lambda r: self.app.ask(r["question"], _history(r.get("history")), doc=r.get("doc")),
            request,
            config,
            run_type="chain",
        )

"""``troly serve``: the assistant as an OpenAI-compatible HTTP API (FastAPI on uvicorn).

/v1/chat/completions (streaming and not; ``[n]`` markers in the text, the citations as a
structured ``citations`` field), /v1/models, /v1/search, /v1/documents, /v1/feedback,
/v1/conversations/{id}, /healthz, /readyz. The index is reached only through the public
``Assistant`` API; conversations and feedback through ``FeedbackStore``.

Modules: ``app`` (wiring, lifespan), ``routes`` (endpoints), ``requests`` (the request
models and their checks), ``errors`` (the OpenAI error format), ``auth`` (bearer keys →
users), ``limits`` (body size, rate), ``answers`` (the FIFO queue and the answer threads or
processes), ``logs`` (JSON logs), ``run`` (uvicorn).
"""

"""The assessment requests an assistant builds for real questions, captured as it answers."""

from __future__ import annotations

from assistant.api import Assistant


def captured_requests(app: Assistant, questions: list[str]) -> list:
    """Ask each question and return the requests the scorer's assess saw, in order."""
    captured = []
    scorer = app.answerer.scorer
    assess = scorer.assess

    def record(request):
        captured.append(request)
        return assess(request)

    scorer.assess = record
    try:
        for q in questions:
            app.ask(q, [])
    finally:
        del scorer.assess
    return captured

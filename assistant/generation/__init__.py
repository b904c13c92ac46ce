"""Answer generators: one Protocol, implementations chosen by name (see base.make_generator)."""

from . import openai_gen  # noqa: F401 - registers the "openai" generator (langchain_openai loads lazily)

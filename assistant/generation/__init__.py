"""Answer generators: one Protocol (base.Generator); the implementations are chosen by name
in assistant/registry.py."""

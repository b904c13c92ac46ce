"""Answer generators: one Protocol, implementations chosen by name (see base.make_generator)."""

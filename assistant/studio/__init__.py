"""Trainer toolkit ("Tập huấn"): targets table, timeline, section briefing and slides,
quizzes, who-does-what and the implementation map, built offline from the indexed
documents, every line carrying its clause label and an exact quote."""

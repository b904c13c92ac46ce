"""Issue 13 (scale, memory): the learned stage's gather of several fields' rows
(features.Profiles._gather_fields, a cut of each field in turn) gives what one cut of every
field's rows kept end to end gave, without that second copy of the profiles. No timing."""

from __future__ import annotations

import random

import numpy as np

from retrieval.features import FIELDS, _cut


def _end_to_end(profiles, fields, rows):
    sets = [a for f in FIELDS for a in profiles.ids[f]]
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(a) for a in sets])
    offsets = np.array([FIELDS.index(f) * len(profiles) for f in fields], dtype=np.intp)
    return _cut(np.concatenate(sets), indptr, (np.asarray(rows, dtype=np.intp)[None, :] + offsets[:, None]).ravel())


def test_gather_fields_is_the_cut_of_every_field_end_to_end(corpus_app):
    profiles = corpus_app.searcher.profiles
    rng = random.Random(0)
    for _ in range(200):
        fields = tuple(rng.sample(FIELDS, rng.randint(1, len(FIELDS))))
        rows = [rng.randrange(len(profiles)) for _ in range(rng.randint(0, 40))]
        want, got = _end_to_end(profiles, fields, rows), profiles._gather_fields(fields, rows)  # noqa: SLF001
        for w, g in zip(want, got):
            assert w.dtype == g.dtype and np.array_equal(w, g)

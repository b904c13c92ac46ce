"""Bring a new document in: read its header, propose its catalog entry, ingest it, and
write the entry into the catalog file only once the file has been indexed (a refused file
changes nothing). The CLI uses it today; the upload panel (issue 15, phase B) will too.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from retrieval.catalog import Catalog
from retrieval.catalog_edit import append_entries
from retrieval.errors import DocumentError
from retrieval.proposal import Proposal, propose
from retrieval.loading import load
from retrieval.normalize import normalize


def propose_entries(paths: list[Path], catalog: Catalog, max_bytes: int | None = None
                    ) -> tuple[list[Proposal], list[tuple[str, str]]]:
    """Proposals for the files the catalog does not list yet (ids kept apart from each
    other too), and the files that could not be read, with their reasons."""
    proposals: list[Proposal] = []
    errors: list[tuple[str, str]] = []
    known = Catalog(list(catalog.documents))
    for path in paths:
        if known.by_file(path.name) is not None:
            continue
        try:
            loaded = load(path, max_bytes)
            text = normalize(loaded.text).text
        except DocumentError as exc:
            errors.append((str(path), str(exc)))
            continue
        proposal = propose(text, path.name, known, raw=loaded.text)
        proposal.path = path
        proposals.append(proposal)
        known.documents.append(proposal.entry)
    return proposals, errors


def with_entries(catalog: Catalog, proposals: list[Proposal]) -> Catalog:
    """The catalog as it will be once the proposals are written."""
    return Catalog([*catalog.documents, *(replace(p.entry) for p in proposals)])


def write_entries(catalog_path: Path, proposals: list[Proposal], failed: set[str]) -> list[Proposal]:
    """Append to the catalog file the entries of the files that were indexed (not in
    failed, a set of paths as the ingest reported them); return those written."""
    done = [p for p in proposals if p.path is None or str(p.path) not in failed]
    append_entries(catalog_path, [p.entry for p in done])
    return done

"""From a policy document to candidate records: ``policyq extract`` and ``policyq review``.

text (``load``) -> sentences (``sentences``) -> figures (``quantities``: number, scale, unit)
-> comparator, period, table, metric, sectors (``rules``) -> subject (``subject``: the
store's places) -> candidate records (``draft``), each with its sentence as ``quote``
(verbatim) and the figure's offsets in the text. Imported only by the commands that use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policyq.extract.draft import Draft
    from policyq.extract.subject import Gazetteer


def extract_file(
    name: str,
    zones: Iterable[dict[str, Any]] | Gazetteer,
    sources: Iterable[Mapping[str, Any]],
    taken: Iterable[str],
    *,
    lang: str = "auto",
    source: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Draft:
    """The draft of the document ``name`` ('-' for stdin): ``zones`` are the subjects a figure
    may have (or their ``Gazetteer``), ``sources`` those a draft may cite (``source``: the one
    it does), ``taken`` the ids a candidate must not take."""
    from policyq.extract import draft, load, subject

    doc = load.read(name)
    places = zones if isinstance(zones, subject.Gazetteer) else list(zones)
    return draft.extract(
        doc, places, sources=list(sources), source=source, lang=lang, taken_ids=list(taken), progress=progress
    )

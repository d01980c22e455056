"""From a policy document to candidate records: ``policyq extract`` and ``policyq review``.

text (``load``) -> sentences (``sentences``) -> figures (``figures``: number, scale, unit)
-> comparator, period, table, metric, sectors (``rules``) -> subject (``subject``: the
store's places) -> candidate records (``draft``), each with its sentence as ``quote``
(verbatim) and the figure's offsets in the text. Imported only by the commands that use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policyq.api import Store
    from policyq.extract.draft import Draft


def extract_file(
    name: str,
    store: Store,
    *,
    lang: str = "auto",
    source: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Draft:
    """The draft of the document ``name`` ('-' for stdin) against ``store``: its places are
    the subjects a figure may have, its sources the ``source`` a draft may cite, its ids
    those a candidate must not take."""
    from policyq.extract import draft, load

    doc = load.read(name)
    zones = list(store.places().by_id.values())
    sources = list(store.sources())
    taken = [r["id"] for r in (*store.targets(), *store.indicators(), *sources, *zones)]
    return draft.extract(doc, zones, sources=sources, source=source, lang=lang, taken_ids=taken, progress=progress)

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


def extract_file(
    name: str,
    zones: Iterable[dict[str, Any]],
    sources: Iterable[Mapping[str, Any]],
    taken: Iterable[str],
    *,
    lang: str = "auto",
    source: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Draft:
    """The draft of the document ``name`` ('-' for stdin): ``zones`` are the subjects a figure
    may have, ``sources`` those a draft may cite (``source``: the one it does), ``taken`` the
    ids a candidate must not take."""
    from policyq.extract import draft, load

    doc = load.read(name)
    return draft.extract(
        doc, list(zones), sources=list(sources), source=source, lang=lang, taken_ids=list(taken), progress=progress
    )

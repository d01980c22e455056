"""policyq: query the facts of China's regional industrial policy.

``from policyq import Store`` is the Python API (see ``policyq.api``); it is imported on first
use so that the command line does not pay for it.
"""

from __future__ import annotations

__version__ = "0.2.0"
__all__ = ["Store", "__version__"]

TYPE_CHECKING = False  # not imported from typing, which TAB completion would pay for
if TYPE_CHECKING:
    from typing import Any

    from policyq.api import Store


def __getattr__(name: str) -> Any:
    if name == "Store":
        from policyq.api import Store

        return Store
    raise AttributeError(f"module 'policyq' has no attribute {name!r}")


def __dir__() -> list[str]:
    """What ``dir(policyq)`` and tab completion in Jupyter offer: ``Store`` too, though it is
    imported only on first use."""
    return sorted({*globals(), *__all__})

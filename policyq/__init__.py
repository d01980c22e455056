"""policyq: query the facts of China's regional industrial policy.

``from policyq import Store`` is the Python API (see ``policyq.api``); it is imported on first
use so that the command line does not pay for it.
"""

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Store", "__version__"]

if TYPE_CHECKING:
    from policyq.api import Store


def __getattr__(name: str) -> Any:
    if name == "Store":
        from policyq.api import Store

        return Store
    raise AttributeError(f"module 'policyq' has no attribute {name!r}")

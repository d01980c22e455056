"""policyq: query the facts of China's regional industrial policy."""

__version__ = "0.1.0"

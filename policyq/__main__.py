"""``python -m policyq`` and the ``policyq`` command.

The command line is imported inside ``main`` so that Ctrl-C at any moment, even while Python
is still loading it, ends with exit code 130 and no traceback.
"""

import os
import sys


def main() -> None:
    """Console entry point."""
    try:
        if "_POLICYQ_COMPLETE" in os.environ:  # a TAB: values are answered before Typer loads
            from policyq.complete import answer

            status = answer()
            if status is not None:
                sys.exit(status)
        from policyq.cli import main as run

        run()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()

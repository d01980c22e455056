"""``python -m policyq`` and the ``policyq`` command.

The command line is imported inside ``main`` so that Ctrl-C at any moment, even while Python
is still loading it, ends with exit code 130 and no traceback. The objects its imports build
(modules, classes, Typer's options) live as long as the process, so the cyclic garbage
collector is kept from walking them: paused while they load, then told they are permanent
(``gc.freeze``). That saves a fifth of the start-up time, most of it in the collection Python
runs at exit.
"""

import gc
import os
import sys


def main() -> None:
    """Console entry point."""
    gc.disable()
    try:
        if "_POLICYQ_COMPLETE" in os.environ:  # a TAB: values are answered before Typer loads
            from policyq.complete import answer

            status = answer()
            if status is not None:
                sys.exit(status)
        from policyq.cli import main as run

        gc.freeze()
        gc.enable()
        run()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()

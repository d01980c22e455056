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


def _standard_streams() -> None:
    """A standard stream the caller closed (``>&-``, ``2>&-``, ``<&-``) is /dev/null: a command
    runs as with ``>/dev/null``, and no file it opens (a store, a temporary file) can take the
    stream's descriptor and receive what is written there. A closed stdin stays None, so that
    ``import -`` can say that it is closed."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        if name != "stdin" and getattr(sys, name) is None:
            setattr(sys, name, open(fd, "w", encoding="utf-8", closefd=False))  # noqa: SIM115 (lives as long as the process)


def main() -> None:
    """Console entry point."""
    _standard_streams()
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

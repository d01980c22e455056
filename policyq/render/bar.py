"""A progress bar for long work, drawn with rich on stderr while the core reports
(``policyq.report``): what is being done, a bar, counts and the time left. Only on a terminal,
and only for work large enough to take a while; the bar is removed when the work is done."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from policyq.report import listening

LARGE = 10_000  # fewer items than this are done before a bar would help


@contextmanager
def progress_bars(stream: IO[str], show: bool) -> Iterator[None]:
    """Draw a bar on ``stream`` for each long step of the work done inside the block, when
    ``show`` (a terminal, and no ``--quiet``)."""
    if not show:
        yield
        return
    drawn: dict[str, Any] = {}

    def listen(what: str, done: int, total: int) -> None:
        if total < LARGE:
            return
        if "progress" not in drawn:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(file=stream),
                transient=True,
            )
            bar.start()
            drawn["progress"] = bar
        bar = drawn["progress"]
        if what not in drawn:
            drawn[what] = bar.add_task(what, total=total)
        bar.update(drawn[what], completed=done)

    try:
        with listening(listen):
            yield
    finally:
        if "progress" in drawn:
            drawn["progress"].stop()

"""Every line a person reads wraps at words: messages on stderr and `cite`'s text are wrapped to
the terminal's width on a terminal, one line each when piped, and ids and commands are never
parted when they fit on a line."""

from __future__ import annotations

import io

from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from policyq.cli import app
from policyq.env import PREFIX, Environment
from policyq.render.cells import width, wrap_words

SETTINGS = settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
WORDS = st.text(st.characters(categories=["L", "N", "P"]), min_size=1, max_size=30) | st.sampled_from(
    ["shanghai-ai-industry-scale-2020", "上海市", "Pudong", "—", "'Pudong New Area'", "policyq targets --in x"]
)


def invoke(args: list[str], size: int | None, isatty: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, isatty=isatty, width=size)
    result = CliRunner().invoke(app, args, obj=env, prog_name="policyq")
    return result.exit_code, out.getvalue(), err.getvalue()


@SETTINGS
@given(words=st.lists(WORDS, min_size=1, max_size=40), size=st.integers(20, 200))
def test_no_message_line_is_wider_than_the_terminal_and_no_word_is_lost(words: list[str], size: int) -> None:
    err = io.StringIO()
    Environment(stderr=err, width=size).log(" ".join(words))
    lines = err.getvalue().rstrip("\n").split("\n")
    assert all(width(line) <= size for line in lines), (size, lines)
    assert lines[0].startswith(PREFIX.strip())
    # every word is there, in order; one wider than the terminal is the only one split
    text = "".join(lines).removeprefix(PREFIX.strip())
    assert "".join(text.split()) == "".join("".join(words).split())
    for word in words:
        if " " not in word and width(word) <= size - len(PREFIX):
            assert any(word in line for line in lines), (word, lines)


@SETTINGS
@given(place=WORDS, size=st.integers(20, 160))
def test_real_errors_fit_the_terminal(place: str, size: int) -> None:
    code, _, err = invoke(["targets", "--in", place, "--format", "json"], size)
    assert code in (0, 1, 2)
    assert all(width(line) <= size for line in err.splitlines()), err


def test_a_message_is_one_line_when_piped_and_wrapped_on_a_terminal() -> None:
    question = ["ask", "targets due by 2025 in Lingang", "--format", "json"]
    _, _, piped = invoke(question, None)
    assert piped.count("\n") == 1 and "policyq targets --in lingang --due-by 2025" in piped
    _, _, wrapped = invoke(question, 60)
    lines = wrapped.splitlines()
    assert len(lines) > 1 and all(width(line) <= 60 for line in lines)
    assert lines[1].startswith(" " * len(PREFIX))  # later lines sit under the first's text
    assert any("policyq targets --in lingang --due-by 2025" in line for line in lines)  # the command whole
    assert " ".join(" ".join(lines).split()) == " ".join(piped.split())


def test_a_quoted_name_or_an_id_is_never_parted() -> None:
    text = "no place 'Pudong New Area' here, only shanghai-ai-industry-scale-2020 and others"
    for size in range(len(PREFIX) + 31, 90):  # wide enough for the id under the first line
        lines = wrap_words(PREFIX + text, size, len(PREFIX))
        assert any("'Pudong New Area'" in line for line in lines), lines
        assert any("shanghai-ai-industry-scale-2020" in line for line in lines), lines


def test_cite_wraps_its_text_on_a_terminal_only() -> None:
    code, out, _ = invoke(["cite", "aisland-area"], 60, isatty=True)
    assert code == 0
    lines = out.splitlines()
    assert all(width(line) <= 60 for line in lines) and len(lines) > 2
    code, piped, _ = invoke(["cite", "aisland-area"], None, isatty=False)
    assert code == 0 and len(piped.splitlines()) == 2  # the quote, the reference
    assert " ".join(out.split()) == " ".join(piped.split())


def test_widths_count_cells_whatever_characters_came_before() -> None:
    """Each character's width is looked up once and kept, for a bounded number of characters:
    past the bound, widths are still counted, not kept."""
    from policyq.render import cells

    every = "".join(chr(c) for c in range(0x4E00, 0xA000))  # every CJK unified ideograph: 2 cells each
    assert width(every) == 2 * len(every) and width(every) == 2 * len(every)
    assert len(cells._CHAR_WIDTHS) <= 20_000
    assert width("e\u0301") == 1 and width("a│b") == 3 and width("张江 AI") == 7

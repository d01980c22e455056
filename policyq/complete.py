"""Shell completion, answered before the command line (Typer) is even imported.

A TAB runs policyq with ``_POLICYQ_COMPLETE`` set (Typer's protocol: ``COMP_WORDS`` and
``COMP_CWORD`` for bash, ``_TYPER_COMPLETE_ARGS`` for zsh, fish and PowerShell). When the word
being completed is the value of an option policyq knows (``--in``, ``--sector``, ``--metric``,
``--kind``, ``--unit``, ``--source``, ``--fields``, ``--format``, ``--style``; also written
``--in=Pu``), the place ``tree`` takes, or the place or record id ``show`` and ``cite`` take,
this module answers from the store in a few milliseconds; anything else (commands, option
names, files) is left to Typer. A word still being typed may hold an escaped space
(``Pudong\\ N``) or an open quote.

The values of each kind come from one function here (:func:`places`, :func:`records`,
:func:`sectors`, :func:`metrics`, :func:`units`, :func:`kinds`, :func:`formats`,
:func:`styles`, :func:`fields`, :func:`sources`), which Typer's callbacks in ``cli.py`` call
too, and the store is the one ``policyq.storage.paths`` names for the query itself.

Values are printed as each shell needs them: for bash escaped with backslashes, or, after an
opening quote, escaped as that quote needs (readline inserts the value after the quote and
closes it), so that ``International Data Economy Industrial Park`` is inserted as one word and
a name holding ``$(…)`` as text; for zsh and fish as Typer prints them, since those shells
quote what they insert. Whatever the store holds, a TAB prints no traceback.

Only the standard library's lightest modules are imported here, and the store is read only as
far as the tables needed (a large store in the line layout is not read past them).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing itself is not imported: a TAB pays for every module
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, BinaryIO

TABLES = ("targets", "indicators")
# option -> what its values are
VALUE_OPTIONS = {
    "--in": "place",
    "--sector": "sector",
    "--metric": "metric",
    "--kind": "kind",
    "--unit": "unit",
    "--source": "source",
    "--fields": "fields",
    "--format": "format",
    "-o": "format",
    "--style": "style",
}
BIG = 2 * 1024 * 1024  # from this size a store is read no further than its zones


# --- what is being completed ------------------------------------------------------------------


def split_words(line: str) -> tuple[list[str], str]:
    """Words of a command line as the shell passes them (as Typer splits them), and the quote
    left open in the last word, if any."""
    import shlex

    lex = shlex.shlex(line, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        out.extend(lex)
    except ValueError:  # no closing quotation: the last word is still being typed
        out.append(lex.token)
        state = getattr(lex, "state", "")
        return out, state if state in ("'", '"') else ""
    return out, ""


def request(env: dict[str, str] | os._Environ[str]) -> tuple[str, list[str], str, str] | None:
    """(shell, the words before the one completed, that word, the quote it was opened with),
    or None when the request is not one this module reads."""
    shell = env.get("_POLICYQ_COMPLETE", "").removeprefix("complete_")
    if shell == "bash":
        words, quote = split_words(env.get("COMP_WORDS", ""))
        try:
            cword = int(env.get("COMP_CWORD", ""))
        except ValueError:
            return None
        if cword < len(words) - 1:  # completing a word in the middle of the line: only Typer knows
            return None
        return shell, words[1:cword], words[cword] if cword < len(words) else "", quote
    if shell in ("zsh", "fish", "powershell", "pwsh"):
        line = env.get("_TYPER_COMPLETE_ARGS", "")
        words, quote = split_words(line)
        words = words[1:]
        if shell in ("powershell", "pwsh"):
            incomplete = env.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
            return shell, words[:-1] if incomplete else words, incomplete, quote
        if words and (not line.endswith(" ") or quote or _escaped_end(line)):  # 'Pudong\ ' is still a word
            return shell, words[:-1], words[-1], quote
        return shell, words, "", ""
    return None


def _escaped_end(line: str) -> bool:
    """Whether the line ends in a space escaped with a backslash (``Pudong\\ ``)."""
    body = line[:-1]
    return (len(body) - len(body.rstrip("\\"))) % 2 == 1


def _store_arg(words: list[str]) -> str | None:
    for i, w in enumerate(words[:-1]):
        if w == "--store":
            return words[i + 1]
    return next((w.split("=", 1)[1] for w in words if w.startswith("--store=")), None)


RECORD_COMMANDS = ("show", "cite")  # their argument: a place, or the id of any record


def what_is_completed(words: list[str]) -> str | None:
    """'place', 'record', 'sector', 'metric'… when the word being completed is such a value,
    else None. bash passes ``--in=Pu`` as the words ``--in``, ``=`` and ``Pu``."""
    if not words:
        return None
    if words[-1] == "=" and len(words) >= 3:
        words = words[:-1]
    if words[-1] in VALUE_OPTIONS and len(words) >= 2:
        return VALUE_OPTIONS[words[-1]]
    if words[-1] in TAKES_VALUE:  # a file name, a format: Typer's to complete
        return None
    if words[0] in (*RECORD_COMMANDS, "tree") and not _positionals(words[1:]):
        return "record" if words[0] in RECORD_COMMANDS else "place"
    return None


TAKES_VALUE = frozenset([*VALUE_OPTIONS, "--store"])


def _positionals(words: list[str]) -> list[str]:
    """The arguments among ``words`` that are neither options nor their values."""
    out, i = [], 0
    while i < len(words):
        word = words[i]
        if word.startswith("-") and len(word) > 1:
            i += 2 if word in TAKES_VALUE else 1
            continue
        out.append(word)
        i += 1
    return out


# --- the store --------------------------------------------------------------------------------


def store_path(arg: str | None) -> str:
    """The store a query reads: decided by ``policyq.storage.paths``, as for the query itself."""
    from policyq.storage.paths import read_path

    return read_path(arg)


def _open(path: str) -> tuple[BinaryIO, int]:
    """The store open for reading, and its size. Never block or read without end on a TAB: a
    FIFO or a device is not a store (the command itself says what is wrong)."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    fh = open(fd, "rb")  # noqa: SIM115 (closed by the caller)
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        fh.close()
        raise ValueError(f"{path} is not a regular file")
    return fh, st.st_size


def record_ids(path: str, prefix: str) -> list[str] | None:
    """The record ids starting with ``prefix`` (ids are lower-case) in a large store in the line
    layout, without decoding any record (none for an empty prefix): the layout module's reader
    finds where each table's lines are, and within them the bytes are searched for
    ``{"id": "PREFIX`` at the start of a document line (``"7": {"id": …``). None for a smaller
    store or another layout (read it with :func:`read_tables`)."""
    import json
    import mmap
    import re

    from policyq.storage import layout

    fh, size = _open(path)
    with fh:
        if size < BIG:
            return None
        try:
            reader = layout.LineReader(layout.reading(fh), size)
            sections = [s for s in (reader.section(t) for t in reader.names()) if s is not None]
        except layout.LayoutError:
            return None
        if not prefix:  # every id of a large store is no help: its places only, until a letter is typed
            return []
        head = json.dumps(prefix.casefold(), ensure_ascii=False)[1:-1].encode("utf-8", "surrogatepass")
        needle = b'{"id": "' + head
        line_start = re.compile(rb'"\d+": ')
        rest = re.compile(rb'(?:[^"\\\n]|\\.)*"')
        out: list[str] = []
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as raw:
            for section in sections:
                end = section.end if section.end is not None else size
                at = raw.find(needle, section.start, end)
                while at >= 0:
                    begin = raw.rfind(b"\n", 0, at) + 1
                    tail = rest.match(raw, at + len(needle))
                    if tail and line_start.fullmatch(raw, begin, at):
                        out.append(json.loads(raw[at + 7 : tail.end()]))
                    at = raw.find(needle, at + 1, end)
        return out


def read_tables(path: str, tables: tuple[str, ...]) -> dict[str, list[dict]]:
    """The records of ``tables``. A large store is read by the layout module's readers, only as
    far as the tables wanted (in the line layout, each document decoded with the standard json
    module: importing orjson would cost a TAB more than it saves); a smaller one is parsed whole."""
    import json

    out: dict[str, list[dict]] = {t: [] for t in tables}
    fh, size = _open(path)
    with fh:
        if size >= BIG:
            from policyq.storage import layout

            try:  # the line layout: its lines found by the layout's reader, decoded here with json
                reader = layout.LineReader(layout.reading(fh), size)
                for t in tables:
                    section = reader.section(t)
                    docs = reader.documents(section) if section is not None else ()
                    out[t] = [r for r in (json.loads(text) for _, text, _ in docs) if isinstance(r, dict)]
                return out
            except layout.LayoutError:  # any other layout: streamed as queries stream it
                from pathlib import Path

                lazy = layout.LazyTables(Path(path), fh, size, lambda exc: exc)
                return {t: [r for _, r in lazy[t].items()] if t in lazy else [] for t in tables}
        raw = fh.read()
    data = _without_zones(raw) if "zones" not in tables else None
    data = json.loads(raw) if data is None else data
    for t in tables:
        table = data.get(t) if isinstance(data, dict) else None
        out[t] = [r for r in table.values() if isinstance(r, dict)] if isinstance(table, dict) else []
    return out


def _zones_section(raw: bytes) -> tuple[int, int] | None:
    """Where the zones of a store in the line layout (``raw``, its bytes) lie: from the newline
    before ``"zones": {`` to the one before its closing ``}``; None when the file is not so."""
    start = raw.find(b'\n"zones": {\n') if raw.startswith(b"{\n") else -1
    end = raw.find(b"\n}", start + 1) if start >= 0 else -1
    return (start, end) if end >= 0 else None


def _without_zones(raw: bytes) -> Any:
    """The tables of a store in the line layout (``raw``, its bytes) other than its zones, parsed
    with the zones' lines cut out: the bundled store's thousands of zones are most of its bytes.
    None when they cannot be cut out so; then the whole is parsed."""
    import json

    section = _zones_section(raw)
    if section is None:
        return None
    start, end = section[0], section[1] + 2  # past the closing '}'
    if raw[end : end + 1] == b",":
        end += 1
    elif raw[start - 1 : start] == b",":  # the zones come last: the comma before them goes
        start -= 1
    try:
        return json.loads(raw[:start] + raw[end:])
    except ValueError:
        return None


def zones_starting(path: str, prefix: str) -> list[dict] | None:
    """The zones of a store in the line layout that hold a string starting with ``prefix``
    (case aside), decoding only their lines: the bundled store has thousands. None when the
    store or the prefix does not allow it (then the zones are read as ``read_tables`` reads them)."""
    import json
    import re
    import stat

    if not prefix or '"' in prefix or "\\" in prefix or (not prefix.isascii() and prefix.lower() != prefix.upper()):
        return None
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size >= BIG:
            return None
        raw = fh.read()
    section = _zones_section(raw)
    if section is None:
        return None
    start, end = section
    out, after = [], 0
    for hit in re.finditer(b'"' + re.escape(prefix.encode()), raw[start:end], re.IGNORECASE):
        at = start + hit.start()
        if at >= after:
            begin = raw.rfind(b"\n", 0, at) + 1
            after = raw.find(b"\n", at)
            doc = raw[begin:after].partition(b": ")[2].rstrip(b",")
            if doc.startswith(b"{"):
                out.append(json.loads(doc))
    # The places they lie in too, to qualify a name several of them share ('Suzhou, Jiangsu').
    parents = sorted({z["parent"] for z in out if isinstance(z.get("parent"), str)} - {z.get("id") for z in out})
    if parents:
        ids = b"|".join(re.escape(json.dumps(p).encode()) for p in parents)
        for hit in re.finditer(b'\n"[0-9]+": \\{"id": (?:' + ids + b")[,}]", raw[start:end]):
            line = raw[start + hit.start() + 1 : raw.find(b"\n", start + hit.end())]
            out.append(json.loads(line.partition(b": ")[2].rstrip(b",")))
    return out


# --- values: one function per kind, for this fast path and for Typer's callbacks alike ---------


def place_values(zones: list[dict], prefix: str) -> list[str]:
    """For each place, the first of its name, id, aliases and Chinese name that starts with
    ``prefix`` (same case first: 'zhang' completes to the id 'zhangjiang'). A name several places
    share ('Suzhou') is offered with the place it lies in ('Suzhou, Jiangsu'), which names one,
    or else as the place's id."""
    low = prefix.casefold()
    hits: list[tuple[dict, str]] = []
    for zone in zones:
        if not isinstance(zone, dict):
            continue
        aliases = zone.get("aliases") if isinstance(zone.get("aliases"), list) else []
        values = [v for v in (zone.get("name"), zone.get("id"), *(aliases or ()), zone.get("name_zh"))]
        values = [v for v in values if isinstance(v, str) and v]
        hit = next((v for v in values if v.startswith(prefix)), None)
        hit = hit or next((v for v in values if v.casefold().startswith(low)), None)
        if hit:
            hits.append((zone, hit))
    counts: dict[str, int] = {}
    for _, hit in hits:
        counts[hit] = counts.get(hit, 0) + 1
    shared = [(zone, hit) for zone, hit in hits if counts[hit] > 1]
    if not shared:
        return list(dict.fromkeys(hit for _, hit in hits))
    parents = {z.get("parent") for z, _ in shared}
    names = {z.get("id"): z for z in zones if z.get("id") in parents} if len(zones) < 5000 else {}
    qualified: dict[int, str] = {}
    for zone, hit in shared:
        parent = names.get(zone.get("parent")) or {}
        label = parent.get("name") if hit.isascii() else parent.get("name_zh") or parent.get("name")
        qualified[id(zone)] = f"{hit}, {label}" if isinstance(label, str) and label else str(zone.get("id"))
    repeated = {q for q in qualified.values() if list(qualified.values()).count(q) > 1}
    out = []
    for zone, hit in hits:
        if counts[hit] == 1:
            out.append(hit)
        else:
            q = qualified[id(zone)]
            out.append(q if q not in repeated else str(zone.get("id")))
    return list(dict.fromkeys(out))


def _starting(values: Iterable[str], prefix: str) -> list[str]:
    low = prefix.casefold()
    return list(dict.fromkeys(v for v in values if v.casefold().startswith(low)))


def places(path: str, prefix: str) -> list[str]:
    """Places (``--in``, ``tree``) by any of their names."""
    zones = zones_starting(path, prefix)  # only the lines that may match, in the line layout
    return place_values(zones if zones is not None else read_tables(path, ("zones",))["zones"], prefix)


def records(path: str, prefix: str) -> list[str]:
    """What ``show`` and ``cite`` take: places by any name, then the ids of the other tables."""
    found = record_ids(path, prefix)  # a large store: the ids found in its bytes
    zones = zones_starting(path, prefix)  # a smaller one: only the zones that may match, as ``places`` reads them
    wanted = [] if zones is not None else ["zones"]
    if found is None:
        wanted += ["sources", *TABLES]
    tables = read_tables(path, tuple(wanted)) if wanted else {}
    ids = found if found is not None else [i for t in ("sources", *TABLES) for i in _ids(tables[t])]
    zones = zones if zones is not None else tables["zones"]
    return list(dict.fromkeys([*place_values(zones, prefix), *_starting(ids, prefix)]))


def sources(path: str, prefix: str) -> list[str]:
    """Source ids (``--source``)."""
    return _starting(_ids(read_tables(path, ("sources",))["sources"]), prefix)


def sector_values(zones: list[dict], prefix: str) -> list[str]:
    """Sector names: the vocabulary's, then those the store's places carry."""
    from policyq import vocab

    lists = [z.get("sectors") for z in zones if isinstance(z, dict)]
    stored = [s for found in lists if isinstance(found, list) for s in found if isinstance(s, str)]
    return _starting([*vocab.SECTORS, *sorted(set(stored))], prefix)


def sectors(path: str, prefix: str) -> list[str]:
    """Sectors (``--sector``): the vocabulary's and the store's places'."""
    return sector_values(read_tables(path, ("zones",))["zones"], prefix)


def metrics(command: str, path: str, prefix: str) -> list[str]:
    """Metric names and families of the table the command lists (both tables for others)."""
    tables = (command,) if command in TABLES else TABLES
    if os.path.getsize(path) >= BIG:  # not worth reading a large table: the controlled names
        from policyq.model import FAMILIES, METRICS

        return _starting([*METRICS, *FAMILIES], prefix)
    found = read_tables(path, tables)
    names = [r.get(f) for t in tables for r in found[t] for f in ("metric", "family")]
    return _starting(sorted({n for n in names if isinstance(n, str)}), prefix)


def units(prefix: str) -> list[str]:
    """Units (``--unit``)."""
    from policyq.schema import UNITS

    return _starting(UNITS, prefix)


def kinds(prefix: str) -> list[str]:
    """Kinds of place (``--kind``)."""
    from policyq.schema import KINDS

    return _starting(KINDS, prefix)


def formats(command: str, prefix: str) -> list[str]:
    """Output formats (``--format``, ``-o``): text or json for ``validate``, else a listing's."""
    from policyq.choices import FORMATS, VALIDATE_FORMATS

    return _starting(VALIDATE_FORMATS if command == "validate" else FORMATS, prefix)


def styles(prefix: str) -> list[str]:
    """Citation styles (``cite --style``)."""
    from policyq.choices import STYLES

    return _starting(STYLES, prefix)


def command_fields(command: str) -> tuple[str, ...]:
    """The fields ``--fields`` may name for ``command``: a table's, search results', the tree
    rows', progress rows', extract's candidates'; every table's for ``show`` and ``ask``, whose
    record or table is known only once they run."""
    from policyq import choices
    from policyq.schema import FIELDS

    table = {"parks": "zones"}.get(command, command)
    if table in FIELDS:
        return FIELDS[table]
    views = {"search": choices.SEARCH_RESULT_FIELDS, "tree": choices.TREE_ROW_FIELDS}
    views["progress"] = choices.PROGRESS_FIELDS
    if table in views:
        return views[table]
    if table == "extract":
        from policyq.render.candidates import columns

        return tuple(columns())
    return tuple(dict.fromkeys(f for t in FIELDS.values() for f in t))


def fields(command: str, prefix: str) -> list[str]:
    """Field names, comma by comma: 'id,val' -> 'id,value'."""
    done, _, last = prefix.rpartition(",")
    head = done + "," if done else ""
    return [head + f for f in command_fields(command) if f.startswith(last) and f not in done.split(",")]


def values(words: list[str], incomplete: str) -> list[str] | None:
    """The completions of ``incomplete``, or None when this module does not answer. Whatever
    the store holds, a TAB prints no traceback: a store it cannot read completes nothing."""
    what = what_is_completed(words)
    if what is None:
        return None
    return guarded(lambda: _values(what, words, incomplete))


def guarded(find: Callable[[], list[str]]) -> list[str]:
    """``find()``, or nothing when it fails: the command itself will say what is wrong."""
    try:
        return find()
    except (Exception, RecursionError, MemoryError):
        return []


def _ids(records: list[dict]) -> list[str]:
    return [r["id"] for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)]


def _values(what: str, words: list[str], incomplete: str) -> list[str]:
    command = words[0]
    if what == "fields":
        return fields(command, incomplete)
    if what == "format":
        return formats(command, incomplete)
    if what == "style":
        return styles(incomplete)
    if what == "kind":
        return kinds(incomplete)
    if what == "unit":
        return units(incomplete)
    path = store_path(_store_arg(words))
    if what == "metric":
        return metrics(command, path, incomplete)
    if what == "record":
        return records(path, incomplete)
    if what == "source":
        return sources(path, incomplete)
    if what == "sector":
        return sectors(path, incomplete)
    return places(path, incomplete)


# --- answering --------------------------------------------------------------------------------

_BASH_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_")


def bash_word(value: str, quote: str) -> str:
    """``value`` as bash should insert it. In a word opened with a quote, readline inserts it
    after that quote and then closes it: after ``"``, the characters bash still acts on there
    (``$``, a backquote, ``"`` and backslash) get a backslash, so ``$(…)`` stays text; after
    ``'``, a ``'`` is written as ``'\\''`` (close, an escaped quote, open again). Otherwise
    every character the shell would split or expand is escaped with a backslash."""
    if quote == '"':
        return "".join("\\" + c if c in '$`"\\' else c for c in value)
    if quote == "'":
        return value.replace("'", "'\\''")
    return "".join(c if c in _BASH_SAFE or ord(c) > 127 else "\\" + c for c in value)


def zsh_word(value: str) -> str:
    """A value in the form Typer prints for zsh's ``_arguments``."""
    escaped = value.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")
    return f'"{escaped}"'


def render(shell: str, found: list[str], quote: str) -> tuple[str, int]:
    """The text to print and the exit status, in the shell's protocol."""
    if shell == "bash":
        return "\n".join(bash_word(v, quote) for v in found), 0
    if shell == "zsh":
        return (f"_arguments '*: :(({chr(10).join(zsh_word(v) for v in found)}))'" if found else "_files"), 0
    if shell == "fish":
        if os.environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
            return "", 0 if found else 1
        return "\n".join(found), 0
    return "\n".join(f"{v}::: " for v in found), 0  # PowerShell


def answer(env: dict[str, str] | os._Environ[str] = os.environ) -> int | None:
    """Answer a completion request; the exit status, or None to let Typer answer it."""
    asked = request(env)
    if asked is None:
        return None
    shell, words, incomplete, quote = asked
    head = ""
    option, equals, value = incomplete.partition("=")
    if equals and option in VALUE_OPTIONS:  # --in=Pu as one word (zsh, fish): the shell wants it whole
        words, incomplete, head = [*words, option], value, option + "="
    elif shell == "bash" and incomplete == "=" and words and words[-1] in VALUE_OPTIONS:
        incomplete, head = "", "="  # bash's word is the '=' itself: replace it, keep it
    if incomplete.startswith("-") or "=" in incomplete:
        return None
    found = values(words, incomplete)
    if found is None:
        return None
    if head:
        found = [head + v for v in found]
    text, status = render(shell, found, quote)
    if text:
        sys.stdout.write(text + "\n")
    sys.stdout.flush()
    return status

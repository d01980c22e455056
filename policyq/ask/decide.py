"""Deciding what a question read asks for: the command, its options and the sentence saying so;
or the refusal, with what was understood and the flags to try."""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from policyq import vocab
from policyq.ask.reader import Reader
from policyq.ask.words import BOUND_OPTION, BOUND_WORDS, EXAMPLE, FACTS, MET, NEGATIONS
from policyq.errors import UsageError
from policyq.model import METRICS
from policyq.schema import UNITS


@dataclass(frozen=True)
class Question:
    """A question understood: the command to run and its options (the ``Store`` method and its
    keyword arguments), the sentence saying so, and, for a question about one attribute of a
    place, the fields that answer it."""

    command: str  # zones, parks, targets, indicators, sources or show
    options: dict[str, Any]
    explanation: str
    fields: tuple[str, ...] = ()
    attribute: str | None = None  # established, designated, designated_by, designations, where or sources
    order: str | None = None  # the sort a comparison asks for: '-value'

    @property
    def table(self) -> str:
        return "zones" if self.command in ("parks", "show") else self.command

    @property
    def flags(self) -> str:
        """The same question as a command line."""
        return command_line(self.command, self.options, self.fields, self.order)

    def missing(self, record: dict[str, Any]) -> str | None:
        """Why the record shown does not answer an attribute question, or None when it does."""
        name = record.get("name", record.get("id"))
        if self.attribute == "established" and not record.get("established"):
            return f"the store records no date when {name} was established"
        designations = record.get("designations") or []
        if self.attribute == "designated_by" and not any(d.get("by") for d in designations):
            return f"the store does not record who designated {name}"
        if self.attribute == "designated" and not any(d.get("date") for d in designations):
            return f"the store records no date of a designation of {name}"
        if self.attribute == "where" and not record.get("parent"):
            return f"the store records no place {name} lies in"
        if self.attribute == "designations" and not designations:
            return f"the store records no designation of {name}"
        return None


FLAG = {
    "place": "--in",
    "kind": "--kind",
    "year": "--year",
    "due_by": "--due-by",
    "metric": "--metric",
    "sector": "--sector",
    "source": "--source",
    "min_value": "--min",
    "max_value": "--max",
    "above": "--above",
    "below": "--below",
    "unit": "--unit",
    "exact": "--exact",
}


def command_line(command: str, options: dict[str, Any], fields: Iterable[str] = (), order: str | None = None) -> str:
    words = ["policyq", command]
    if command == "show":
        words.append(shlex.quote(options["name"]))
    for key, value in options.items():
        flag = FLAG.get(key)
        if flag is None or value is None or value is False:
            continue
        if value is True:
            words.append(flag)
        elif key in ("min_value", "max_value", "above", "below"):
            words += [flag, vocab.human_amount(value)]
        elif isinstance(value, (list, tuple)):
            for v in value:
                words += [flag, shlex.quote(str(v))]
        elif key == "year" and str(value).startswith("-"):
            words.append(f"{flag}={value}")
        else:
            words += [flag, shlex.quote(str(value))]
    if order:
        words += ["--sort", order]
    if fields:
        words += ["--fields", ",".join(fields)]
    return " ".join(words)


Probe = Callable[[str, dict[str, Any]], int]


def refusal(r: Reader, left: list[str], probe: Probe | None = None, near: str = "") -> UsageError:
    """Refuse, saying what was not understood (and the names it is near), what was, and the
    flags for what was, when those flags find something."""
    negated = [w for w in left if w in NEGATIONS]
    if negated:  # the flags for the rest would answer the opposite question
        return UsageError(
            f"cannot leave records out ('{negated[0]}' in '{r.question.strip()}'); ask for what to include, {EXAMPLE}"
        )
    met = [w for w in left if w in MET]
    if met:  # 'has Shanghai reached its AI target': whether, not what
        where = {"place": list(dict.fromkeys(r.places))} if r.places else {}
        hint = f": {command_line('progress', where)}" if probe is None or probe("progress", where) else ""
        return UsageError(
            f"'{r.question.strip()}' asks whether a target was met ('{met[0]}'); ask does not judge that, "
            f"progress sets each target beside the figures reported{hint}"
        )
    understood = [t.text for t in r.tokens if t.used and t.meaning not in ("stop", "count")]
    tail = f"; {EXAMPLE}"
    if understood:
        tail = f"; understood: {' '.join(understood)}" + tail
        with contextlib.suppress(UsageError):  # the words understood may not make a query alone
            q = decide(r, None, strict=False)
            if q.command == "show" or probe is None or probe(q.command, q.options):  # a hint finds something
                tail = f"; understood: {' '.join(understood)} — try: {q.flags}"
    what = " ".join(dict.fromkeys(left))
    return UsageError(f"did not understand '{what}' in '{r.question.strip()}'{near}{tail}")


def decide(r: Reader, probe: Probe | None, strict: bool = True) -> Question:
    """The command and options for what was read."""
    refuse = r.refuse_error if strict else (lambda words, needs=None: UsageError(""))
    facts_asked = r.metric or r.period or r.bounds or r.unit
    places = list(dict.fromkeys(r.places))

    # attribute questions: one place, its record
    if r.attribute in ("established", "designated", "designated_by", "designations", "where"):
        word = {"designated_by": "who", "where": "where"}.get(r.attribute, "when")
        if r.metric and not (r.table or r.period or r.bounds or r.unit) and _titled(r):
            r.metric = None  # 'selected as the first pilot zone for AI application': the designation's words
            facts_asked = r.period or r.bounds or r.unit
        if r.table or facts_asked:
            raise refuse([word], "one place in such a question")
        name = one_place(r, refuse, word)
        fields = {
            "established": ("id", "name", "established"),
            "designated": ("id", "name", "established", "designations"),
            "designated_by": ("id", "name", "designations"),
            "designations": ("id", "name", "designations"),
            "where": ("id", "name", "kind", "parent"),
        }[r.attribute]
        said = {"established": "when it was established", "designated": "when it was designated",
                "designated_by": "who designated it", "designations": "its designations",
                "where": "the place it lies in"}[r.attribute]  # fmt: skip
        return question("show", {"name": name}, f"{r.index.name(name)} ({name}): {said}", fields, r.attribute, r)

    table = r.table
    if r.share_of and METRICS.get(r.metric or "", (r.metric,))[0] != "share":
        raise refuse([t.text for t in r.tokens if t.meaning == "metric"][:1] or ["?"], "their share, e.g. '占比'")
    named = {k for kind in r.kinds for k in (("park", "park_group") if kind == "park" else (kind,))}
    if (
        named
        and (facts_asked or table in (*FACTS, "sources"))
        and places
        and all(r.index.by_id[p].get("kind") in named for p in places)
    ):
        kind_words = " ".join(t.text for t in r.tokens if t.meaning == "kind" and t.kind != "poss")
        r.readings.append(f"'{kind_words}' as the places named")  # 'which city, Jinan or Qingdao'
        if r.metric == "rank" and len(places) == 1:  # '山东在全国省份中排第几': its rank among the provinces
            r.metric = {"province": "province_rank", "city": "gdp_rank_in_province"}.get(next(iter(named)), "rank")
            r.exact_hint = True
        r.kinds = []
    if r.kinds and (facts_asked or table in FACTS):  # 'the metaverse park's targets', '元宇宙园区的规模目标'
        fits = r.zones_named()
        if len(fits) == 1:
            r.readings.append(
                f"'{' '.join(t.text for t in r.tokens if t.meaning == 'kind' and t.kind != 'poss')}' as "
                f"{r.index.name(fits[0])}"
            )
            r.places, r.kinds, r.sector = [fits[0]], [], None
            places = [fits[0]]
    if r.kinds:
        if table not in (None, "zones"):
            raise refuse([table], "zones or records, not both")
        table = "zones"
    if table == "sources" and (facts_asked or r.facts_of):  # 'source of Shenzhen's GDP': the sources of those facts
        of_facts = fact_options(r)
        facts = r.facts_of or choose_table(r, of_facts, probe, strict)
        sentence = f"the sources of {explain(r, facts, of_facts)}"
        return question(facts, of_facts, sentence, ("id", "source"), "sources", r)
    if table == "sources":
        if places and not (facts_asked or r.source) and (len(places) == 1 or r.kinds):
            name = one_place(r, refuse, "sources")
            sentence = f"the sources of {r.index.name(name)} ({name})"
            return question("show", {"name": name}, sentence, ("id", "name", "sources"), "sources", r)
        if places or r.kinds or facts_asked or r.sector or r.source:
            raise refuse(["sources"], "sources alone, or the sources of one place")
        return question("sources", {}, "the source documents")
    if table == "zones" and facts_asked:
        raise refuse(
            [r.metric or (r.period and r.period[2]) or "amount"],
            "figures of targets or indicators; zones have no figures or years",
        )
    if r.usd and table not in (None, *FACTS):
        raise refuse(["US dollars"], "figures of targets or indicators for a figure in US dollars")
    if table is None and not facts_asked:
        if len(places) == 1 and not (r.sector or r.source):
            asked = r.asks_figure
            if asked:  # 'how many does AIsland have': a number, of nothing named
                raise refuse([asked], "what to count or measure, e.g. 'how many enterprises does AIsland have'")
            name = places[0]
            return question("show", {"name": name}, f"{r.index.name(name)} ({name})")
        if len(places) > 1 and not r.sector:
            table = "indicators"  # "Qingdao vs Jinan": their figures side by side
        elif not strict:
            table = "targets"
        else:
            raise refuse(
                [w for w in (r.sector, r.source) if w] or ["?"], "what to list: parks, zones, targets or indicators"
            )

    if table == "zones":
        kinds = r.kinds or []
        command = "parks" if kinds == ["park"] else "zones"
        options: dict[str, Any] = {}
        if r.compare:
            raise refuse([t.text for t in r.tokens if t.meaning == "compare"], "figures to compare; zones have none")
        if r.loose_count:  # 'how many AI parks': the store does not list every park there is
            asked = r.asks_figure or "how many"
            raise refuse([asked], "counts the sources report: parks, pilot areas, companies, factories…")
        if places:
            options["place"] = places
        if command == "zones" and kinds:
            options["kind"] = [k for kind in kinds for k in (("park", "park_group") if kind == "park" else (kind,))]
        if r.sector:
            options["sector"] = r.sector
        if r.source:
            options["source"] = r.source
        return question(command, options, explain(r, command, options), reader=r)

    options = fact_options(r)
    if table is None:
        table = choose_table(r, options, probe, strict)
    if table == "targets" and r.period and r.period[0] is None:  # "by 2025": --due-by, in its place
        options = {("due_by" if k == "year" else k): (r.period[1] if k == "year" else v) for k, v in options.items()}
    counted = [t.text for i, t in enumerate(r.tokens) if _counts(r, i)]
    within = any(r.prev_word(start) in ("in", "within", "inside", "across", "在") for start, _, _ in r.spans)
    if not r.own_hint and counted and not r.compare and not within:  # 'Pudong's AI firms: how many?'
        r.own_hint = counted[0]
    if strict and r.own_hint and options.get("place") and options.get("metric") and not options.get("exact") and probe:
        options = _own(r, table, options, probe)
    elif strict and r.prefer_own and options.get("place") and not options.get("exact") and probe:
        own = {**options, "exact": True}  # 'Pudong AI companies': Pudong's own figure, when it has one
        if options.get("metric") and probe(table, own):
            names = " and ".join(r.index.name(p) for p in options["place"])
            r.readings.append(f"the figures of {names} itself, not of the places below it")
            options = own
    order = compared(r, places, refuse)
    if strict:
        one_unit(r, table, options, probe)
        options = spanned(r, table, options, probe)
    fields = ("id", "subject", "metric", "usd", "year") if r.usd else ()
    sentence = explain(r, table, options) + (", sorted by value, highest first" if order else "")
    if r.usd:
        sentence += ", in US dollars as the source states them (no figure where it gives none)"
    return question(table, options, sentence, fields, reader=r, order=order)


def _titled(r: Reader) -> bool:
    """Whether the metric words of a question about a designation are words of the title of a
    designation of the place asked about, not a figure asked for."""
    if r.attribute not in ("designated", "designated_by", "designations"):
        return False
    try:
        name = one_place(r, lambda words, needs=None: UsageError(""), "when")
    except UsageError:
        return False
    titles = " ".join(str(d.get("title") or "") for d in r.index.record(name).get("designations") or ())
    titled = {vocab.stem(w) for w in vocab.words(titles)}
    said = [w for t in r.tokens if t.meaning == "metric" for w in vocab.words(t.text)]
    if not said or not all(vocab.stem(w) in titled for w in said):
        return False
    r.readings.append(f"'{' '.join(said)}' as words of its designation")
    return True


def one_place(r: Reader, refuse: Callable[..., UsageError], word: str) -> str:
    """The one place a question about a place's record names: 'AIsland', or a kind of zone in
    a place when one zone fits ('Pudong's AI pilot zone', '深圳的先导区')."""
    places = list(dict.fromkeys(r.places))
    if len(places) == 1 and not (r.kinds or r.sector):
        return places[0]
    kinds = {k for kind in r.kinds for k in (("park", "park_group") if kind == "park" else (kind,))}
    if len(places) == 1 and r.index.by_id[places[0]].get("kind") in kinds:  # '济青…先导区': the place, by its kind
        return places[0]
    fits = r.zones_named() if r.kinds else []  # 'the pilot zone's approval date': which of them?
    if len(fits) == 1:
        return fits[0]
    if len(fits) > 1:
        named = ", ".join(f"{z} ({r.index.name(z)})" for z in fits)
        raise UsageError(f"'{r.question.strip()}' fits several places: {named}; ask about one of them")
    raise refuse([word], "one place in such a question")


_COMPARE_WORDS = {"compare", "compared", "comparison", "vs", "versus", "比较", "对比"}


def compared(r: Reader, places: list[str], refuse: Callable[..., UsageError]) -> str | None:
    """'Which is higher, Jinan or Qingdao', 'A vs B GDP': the sort a comparison among named
    places asks for. A comparative without two places to compare ('the higher GDP') is refused:
    policyq ranks only what the question names."""
    said = [t.text for t in r.tokens if t.meaning == "compare"]
    if said and (len(places) < 2 or not r.metric):
        raise refuse(said, "two or more places named and one figure to compare, e.g. 'GDP of Jinan vs Qingdao'")
    if (said or any(t.text in _COMPARE_WORDS for t in r.tokens)) and len(places) > 1 and r.metric:
        return "-value"
    return None


_COUNTING = {"几个", "几家", "多少家", "多少个", "多少台", "多少项", "有多少家", "有多少个", "有多少台", "有几个",
             "有几家", "数量", "个数", "数目"}  # fmt: skip


def _counts(r: Reader, i: int) -> bool:
    """Whether a count is asked at ``i``: 'how many', 'the number of', '几家', '数量'."""
    t = r.tokens[i]
    number = t.text == "number" and r.text(i + 1) == "of"
    return (t.text == "how" and r.text(i + 1) == "many") or t.text in _COUNTING or number


def _own(r: Reader, table: str, options: dict[str, Any], probe: Probe) -> dict[str, Any]:
    """'How many AI firms does Pudong have', '浦东有多少家': the place's own figures. A division
    of the country (a province, city, district) that has none has none: its parts' figures are
    not its total. A zone that has none (Lingang, a park) has those of the places below it, the
    reading saying so."""
    names = " and ".join(r.index.name(p) for p in options["place"])
    own = {**options, "exact": True}
    divisions = all(r.index.by_id[p].get("code") or r.index.by_id[p].get("kind") == "country" for p in options["place"])
    if divisions or probe(table, own):
        r.readings.append(f"'{r.own_hint}' as the figures of {names} itself, not of the places below it")
        return own
    r.readings.append(f"'{r.own_hint}': {names} has no such figure of its own; those of the places below it")
    return options


def spanned(r: Reader, table: str, options: dict[str, Any], probe: Probe | None) -> dict[str, Any]:
    """'Jinan-Qingdao pilot zone GDP': a zone's own figure asked for, when it has none and spans
    places that have, is answered with theirs, the reading saying so."""
    places = options.get("place") or []
    if probe is None or not options.get("exact") or len(places) != 1:
        return options
    zone = r.index.by_id.get(places[0]) or {}
    spans = [p for p in zone.get("related") or () if p in r.index.by_id]
    if not spans or probe(table, options) or not probe(table, {**options, "place": spans}):
        return options
    names = " and ".join(r.index.name(p) for p in spans)
    r.readings.append(f"{r.index.name(places[0])} spans {names}: their figures")
    return {**options, "place": spans}


def one_unit(r: Reader, table: str, options: dict[str, Any], probe: Probe | None) -> None:
    """Refuse an amount without a unit ('area over 10000', 'targets over 2020') when the
    records it would be compared with are in several units: 10,000 compared with m2 and km2
    alike, or with yuan and counts alike, answers a question nobody asked."""
    if not r.bounds or options.get("unit") or probe is None:
        return
    base = {k: v for k, v in options.items() if k not in BOUND_OPTION.values()}
    units = [u for u in UNITS if probe(table, {**base, "unit": u})]
    if units == ["CNY"] and all(abs(v) < 1e6 for v in r.bounds.values()):  # "output over 100": 100 what?
        in_yuan = {**options, "unit": "CNY"}
        hint = f", or try: {command_line(table, in_yuan)}" if probe(table, in_yuan) else ""
        raise UsageError(
            f"'{r.question.strip()}': the {table} are in yuan and the amount has no scale; say e.g. "
            f"'100 billion yuan', '100bn' or '100亿'{hint}"
        )
    if len(units) > 1:
        found = [u for u in units if probe(table, {**options, "unit": u})]  # a hint that finds something
        hint = f", e.g. {command_line(table, {**options, 'unit': found[0]})}" if found else ""
        raise UsageError(
            f"'{r.question.strip()}': the amount has no unit and the {table} it would be compared with are "
            f"in {', '.join(units)}; say which (e.g. '100 billion yuan', '7.4%', '1,000 companies') "
            f"or give --unit{hint}"
        )


def question(
    command: str,
    options: dict[str, Any],
    sentence: str,
    fields: tuple[str, ...] = (),
    attribute: str | None = None,
    reader: Reader | None = None,
    order: str | None = None,
) -> Question:
    """The question, explained in words (with how any word open to two readings was read) and
    as the command line that gives the same answer."""
    said = "; ".join([*(reader.readings if reader else ()), sentence])
    explanation = f"understood: {said} — {command_line(command, options, fields, order)}"
    return Question(command, options, explanation, fields, attribute, order)


def fact_options(r: Reader) -> dict[str, Any]:
    options: dict[str, Any] = {}
    places = list(dict.fromkeys(r.places))
    if places:
        options["place"] = places
    if r.period:
        lo, hi, _ = r.period
        options["year"] = lo if lo == hi else f"{lo if lo is not None else ''}-{hi if hi is not None else ''}"
    if r.metric or r.wording:  # with the source's own words, every word must be in its metric or wording
        options["metric"] = " ".join([*([r.metric] if r.metric else []), *r.wording])
    if r.sector:
        options["sector"] = r.sector
    if r.source:
        options["source"] = r.source
    for bound, value in r.bounds.items():
        options[BOUND_OPTION[bound]] = value
    unit = r.unit
    counted = r.metric in ("enterprises", "factory_count", "application_count", "data_products", "park_count",
                           "pilot_area_count", "count", "products")  # fmt: skip
    if unit is None and r.money_scale and not counted:
        unit = "CNY"  # billions and trillions are money here
    if unit:
        options["unit"] = unit
    if places and r.exact_hint and (r.metric or r.wording):
        options["exact"] = True
    return options


def choose_table(r: Reader, options: dict[str, Any], probe: Probe | None, strict: bool) -> str:
    """Targets or indicators, when the question does not say: a deadline means targets; else
    whichever has matching records; both is a question to ask back."""
    words = {t.text for t in r.tokens}
    if (r.period and r.period[0] is None and r.period[2].startswith("by")) or words & {"due", "will"}:
        return "targets"
    if r.tense:  # 'already', 'currently', '目前': what is; 'should', 'expected to', '计划': what is planned
        return r.tense
    if probe is None or not strict:
        return "indicators"
    found = {t: probe(t, options) for t in FACTS}
    if found["targets"] and found["indicators"]:
        raise UsageError(
            f"'{r.question.strip()}' matches both targets ({found['targets']}) and indicators "
            f"({found['indicators']}); ask for 'targets' or 'indicators', e.g. "
            f"{command_line('indicators', options)}"
        )
    return "targets" if found["targets"] else "indicators"


def explain(r: Reader, command: str, options: dict[str, Any]) -> str:
    what = command
    if options.get("kind"):
        what = "zones of kind " + ", ".join(dict.fromkeys(options["kind"]))
    parts = [what]
    if r.metric or r.wording:
        parts.append(f"with metric '{options.get('metric', r.metric)}'")
    if r.sector:
        parts.append(f"in the sector '{r.sector}'")
    if options.get("place"):
        names = " and ".join(f"{r.index.name(p)} ({p})" for p in options["place"])
        parts.append(f"of {names} itself" if options.get("exact") else f"in {names} and below")
    if r.period:
        lo, hi, _ = r.period
        if lo is None:
            parts.append(f"due by {hi}" if command == "targets" else f"up to {hi}")
        elif hi is None:
            parts.append(f"since {lo}")
        else:
            parts.append(f"in {lo}" if lo == hi else f"in {lo}-{hi}")
    if r.bounds:
        unit = f" {options['unit']}" if options.get("unit") else ""
        said = [f"{BOUND_WORDS[b]} {vocab.human_amount(v)}{unit}" for b, v in r.bounds.items()]
        if r.bounds.keys() == {"min", "max"} and r.bounds["min"] == r.bounds["max"]:
            said = [f"exactly {vocab.human_amount(r.bounds['min'])}{unit}"]
        parts.append("with value " + " and ".join(said))
    elif options.get("unit"):
        parts.append(f"in {options['unit']}")
    if options.get("source"):
        parts.append(f"from source {options['source']}")
    return " ".join(parts)

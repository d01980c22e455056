"""The store's schema, declared once: every table, its fields in output order, and per field its
type, whether it is required, what it refers to, whether it is a date with a precision, and
what it means; and the vocabularies fields take (kinds, units, comparators, precisions).

Validation (``policyq.model``), import conversions (``policyq.ingest``), ``remove``'s check of
what refers to a record (``policyq.writes``) and the field tables of docs/schema.md and the
README's JSON contract (held to this module by tests) are all derived from it. It imports
nothing beyond the standard library's dataclasses, so that completion can read it at TAB speed.
"""

from __future__ import annotations

from dataclasses import dataclass

# The types a field may hold: "text", "number" (int or float), "integer", "texts" (a list of
# text) and "designations" (a list of designation objects).
TEXT, NUMBER, INTEGER, TEXTS, DESIGNATIONS = "text", "number", "integer", "texts", "designations"


# The vocabularies fields take.
PRECISIONS = ("year", "month", "day")

KINDS = (
    "country",
    "province",
    "autonomous_region",
    "municipality",
    "sar",
    "city",
    "prefecture",
    "autonomous_prefecture",
    "league",
    "district",
    "county",
    "county_city",
    "autonomous_county",
    "banner",
    "autonomous_banner",
    "forestry_area",
    "special_district",
    "area",
    "region",
    "free_trade_zone",
    "pilot_zone",
    "pilot_area",
    "cluster",
    "park",
    "park_group",
    "platform",
    "facility",
)
PARK_KINDS = ("park", "park_group")
# The source's words for each comparator: "over" is >, "at least" >=, "reach" =, "about" ~.
COMPARATORS = {">": "over", ">=": "at least", "=": "", "~": "about", "<=": "at most", "<": "under"}
UNITS = {
    "CNY": "yuan",
    "USD": "US dollars",
    "count": "a count",
    "percent": "per cent (7.4 means 7.4%)",
    "m2": "square metres",
    "km2": "square kilometres",
    "per_10k_people": "per 10,000 people",
    "ratio": "a multiple (2 means twice)",
    "rank": "a rank (1 is first)",
}
# Units of quantities that cannot be below zero (a growth in percent or an amount of money may be).
NOT_NEGATIVE_UNITS = ("count", "m2", "km2", "per_10k_people", "ratio", "rank")
DESIGNATION_STATUSES = ("granted", "planned")


@dataclass(frozen=True)
class Field:
    """One field of a record."""

    name: str
    type: str
    doc: str
    required: bool = False  # required fields may not be null (nor empty, for text)
    refers: str | None = None  # the table whose ids it holds ("zones" or "sources")
    date: bool = False  # YYYY, YYYY-MM or YYYY-MM-DD; a `<name>_precision` field says which
    multiline: bool = False  # may hold line breaks and tabs

    @property
    def is_list(self) -> bool:
        return self.type in (TEXTS, DESIGNATIONS)


def _precision(date: str) -> Field:
    return Field(
        f"{date}_precision",
        TEXT,
        f"`year`, `month` or `day`: how precise `{date}` is (null when it is null); "
        "see [Dates](#dates-and-their-precision)",
    )


_ID = Field("id", TEXT, "unique id", required=True)
_NOTE = Field("note", TEXT, "", multiline=True)


_METRIC = "controlled metric name (table below); a store may add its own lower-case names"
_FAMILY = "metric family (output, gdp, growth, enterprises, …); `--metric output` matches the family"


def _fact(period: Field) -> tuple[Field, ...]:
    """Targets and indicators share their fields but for the period: a deadline, or a date."""
    return (
        _ID,
        Field("subject", TEXT, "id of the zone the figure is about", required=True, refers="zones"),
        Field("metric", TEXT, _METRIC, required=True),
        Field("metric_label", TEXT, "the source's own wording of the metric", required=True),
        Field("family", TEXT, _FAMILY, required=True),
        Field("comparator", TEXT, "how the source qualifies the number (table below)", required=True),
        Field("value", NUMBER, "the number in base units (yuan, not billions; 7.4 for 7.4 %)", required=True),
        Field("unit", TEXT, "one of the units below", required=True),
        Field(
            "usd",
            NUMBER,
            "the US-dollar figure exactly as the source printed it, in dollars; null when it printed none. "
            "Never computed",
        ),
        Field(
            "year",
            INTEGER,
            "deadline year (targets) or the year the figure describes (indicators); where the source gives "
            "no period, the year of the statement",
            required=True,
        ),
        period,
        _precision(period.name),
        Field("sectors", TEXTS, "industries the figure concerns"),
        Field("source", TEXT, "id of the source document", required=True, refers="sources"),
        Field(
            "quote",
            TEXT,
            "the source's own words stating the figure, verbatim but for whitespace; `…` marks a cut; one or "
            "two sentences. Every bundled record has one; null only in a store's own records where none was "
            "taken",
            multiline=True,
        ),
        Field("note", TEXT, "what the source leaves vague, and how it was read", multiline=True),
    )


TABLES: dict[str, tuple[Field, ...]] = {
    "sources": (
        Field("id", TEXT, "unique id (lower-case letters, digits, '.', '_', '-'), unique across the store", True),
        Field("title", TEXT, "the document's title", required=True),
        Field("publisher", TEXT, "outlet or publisher; null when the document names none"),
        Field("published", TEXT, "publication date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD", date=True),
        _precision("published"),
        Field("url", TEXT, "the document's address, when it names one"),
        Field("language", TEXT, "language code, e.g. en"),
        Field("authors", TEXTS, "list of authors"),
        Field("note", TEXT, "how an undated document was dated, or other caveats", multiline=True),
    ),
    "zones": (
        _ID,
        Field("name", TEXT, "English name", required=True),
        Field("name_zh", TEXT, "Chinese name, where well established"),
        Field("kind", TEXT, "one of the kinds below", required=True),
        Field(
            "code",
            TEXT,
            'the six-digit GB/T 2260 administrative division code as text (`"320500"`) for a province, '
            "prefecture or county; null for every other zone (see [the gazetteer](gazetteer.md))",
        ),
        Field(
            "parent",
            TEXT,
            "id of the zone it lies in, as the sources state it (null for a country)",
            refers="zones",
        ),
        Field(
            "related",
            TEXTS,
            "ids of other zones it is tied to (e.g. the two cities of a cross-regional pilot zone), or that its "
            "name points to when the sources do not place it there (Lujiazui Digital Land is a park of Pudong; "
            "Lujiazui is related, not its parent)",
            refers="zones",
        ),
        Field("aliases", TEXTS, "other names users may type"),
        Field(
            "designations",
            DESIGNATIONS,
            "list of {title, by, date, date_precision, status, source, quote, note}: what it was named, by "
            "whom, when (as precise as the source), from which source, in the source's own words; status `granted`, or "
            '`planned` where the source speaks of the future ("is set to", "is poised to be"). Descriptions '
            '("a pioneering city", "an epicenter") are not designations; they are kept in `note`',
        ),
        Field("sectors", TEXTS, "industries named for it"),
        Field("established", TEXT, "launch or establishment date (YYYY, YYYY-MM, YYYY-MM-DD)", date=True),
        _precision("established"),
        Field("status", TEXT, "e.g. planned, under construction; null when it exists"),
        Field("sources", TEXTS, "ids of the sources that mention it", refers="sources"),
        Field("note", TEXT, "caveats, e.g. why it sits under a given parent", multiline=True),
    ),
    "targets": _fact(
        Field(
            "deadline",
            TEXT,
            "deadline as precise as the source: 2025 for 'in/by 2025', 2025-12-31 for 'by the end of 2025'",
            date=True,
        )
    ),
    "indicators": _fact(
        Field("as_of", TEXT, "the date the figure describes or was stated, as precise as known", date=True)
    ),
}

# The fields of one designation, inside a zone's `designations` list.
DESIGNATION: tuple[Field, ...] = (
    Field("title", TEXT, "what the place was named", required=True),
    Field("by", TEXT, "who named it"),
    Field("date", TEXT, "when, as precise as the source", date=True),
    _precision("date"),
    Field("status", TEXT, "`granted`, or `planned`"),
    Field("source", TEXT, "id of the source", required=True, refers="sources"),
    Field("quote", TEXT, "the source's own words", multiline=True),
    _NOTE,
)

# Derived views, for the modules that need only names.
FIELDS: dict[str, tuple[str, ...]] = {table: tuple(f.name for f in fields) for table, fields in TABLES.items()}
DESIGNATION_FIELDS = tuple(f.name for f in DESIGNATION)
# A date field and its companion naming how precise it is ("2025" is a year, "2025-12-31" a day),
# so that scripts read "2025" as the year 2025 rather than as 1 January.
PRECISION_FIELDS: dict[str, str] = {
    f.name: f"{f.name}_precision"
    for fields in TABLES.values()
    for f in fields
    if f.date and f"{f.name}_precision" in {g.name for g in fields}
}
DATE_FIELDS: dict[str, tuple[str, ...]] = {t: tuple(f.name for f in fs if f.date) for t, fs in TABLES.items()}
LIST_FIELDS = frozenset(f.name for fs in TABLES.values() for f in fs if f.type == TEXTS)
NUMBER_FIELDS = frozenset(f.name for fs in TABLES.values() for f in fs if f.type == NUMBER)
INTEGER_FIELDS = frozenset(f.name for fs in TABLES.values() for f in fs if f.type == INTEGER)
MULTILINE_FIELDS = frozenset(f.name for fs in (*TABLES.values(), DESIGNATION) for f in fs if f.multiline)
# The tables records refer to, and per table the fields that refer to them.
REFERRED = tuple(dict.fromkeys(f.refers for fs in TABLES.values() for f in fs if f.refers))
REFERENCES: dict[str, tuple[Field, ...]] = {t: tuple(f for f in fs if f.refers) for t, fs in TABLES.items()}
DESIGNATION_REFERENCES = tuple(f for f in DESIGNATION if f.refers)


def field(table: str, name: str) -> Field:
    """The field ``name`` of ``table`` (KeyError when it has none)."""
    for f in TABLES[table]:
        if f.name == name:
            return f
    raise KeyError(name)

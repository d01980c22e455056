"""The values an option chooses among, and the columns of the views that are not one table:
declared here, low in the package, so that the commands, the renderers and shell completion
read the same names (and a TAB reads them without loading the query modules)."""

from __future__ import annotations

from policyq.schema import FIELDS

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")  # --format of a listing
VALIDATE_FORMATS = ("text", "json")  # --format of validate
STYLES = ("text", "bibtex", "csl")  # --style of cite

SEARCH_RESULT_FIELDS = ("table", "id", "name", "field", "text", "value", "unit", "comparator")
TREE_FIELDS = ("id", "name", "name_zh", "kind", "code", "parent", "related", "targets", "indicators")
TREE_ROW_FIELDS = ("depth", "path", *TREE_FIELDS)  # a flat row per place: its depth and path of ids
# One row per target and piece of evidence (a target without evidence: one row, evidence empty).
PROGRESS_FIELDS = (
    *(f"target_{f}" for f in FIELDS["targets"]),
    "status",
    *(f"indicator_{f}" for f in FIELDS["indicators"]),
    "relation",
    "timing",
    "reaches",
    "ratio",
)
# Keys of an extract candidate that are not fields of its record: review reads them, ``policyq
# import`` drops them.
REVIEW_KEYS = ("table", "subject_text", "figure", "start", "end", "confidence", "why")

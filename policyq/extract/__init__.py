"""From a policy document to candidate records: ``policyq extract`` and ``policyq review``.

text (``load``) -> sentences (``sentences``) -> figures (``figures``: number, scale, unit)
-> comparator, period, table, metric, sectors (``rules``) -> subject (``subject``: the
store's places) -> candidate records (``draft``), each with its sentence as ``quote``
(verbatim) and the figure's offsets in the text. Imported only by the commands that use it.
"""

"""Where a store lives and how it is read and written, a module a job: ``paths`` (which store a
command reads or writes), ``files`` (size limit, lock, atomic replacement), ``layout`` (the line
layout, and streaming readers for any JSON layout), ``reading`` (a store read whole or streamed,
its shape checked), ``adapter`` (TinyDB over a store), ``validity`` (which store contents are
known to be valid), ``zones`` (the place index, read off the start of the zones' lines).

Nothing is imported here: shell completion imports ``paths`` and ``layout`` alone.
"""

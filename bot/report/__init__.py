"""The management report as an HTML page, one tall PNG or A4 pages of PDF.

`content` (the report as blocks) -> `charts` (matplotlib) -> `html`, `png`, `pdf`; `formats`
writes dates and numbers (Babel), `phrases` holds the texts; `render` is the entry point.
"""

"""The management report as an HTML page, one tall PNG or A4 pages of PDF."""

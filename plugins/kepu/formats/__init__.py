"""Output formats: calendar feeds, Atom, open data, structured data, search index, QR codes."""

"""Editor tools: check, new-event, spreadsheet import, the web editor and the live preview."""

"""The content model and its validation: event and news files, registries, dates and recurrence."""

"""Kepu Calendar core: Pelican-free event model, validation, recurrence and site indexes."""

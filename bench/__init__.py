"""Benchmarks: a seeded corpus generator and a runner that compares builds side by side."""

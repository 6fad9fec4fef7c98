"""Build engine helpers without Pelican: atomic publishing and child processes."""

"""Settings for publishing (``invoke publish``): absolute URLs from KEPU_SITEURL."""

import os

from pelicanconf import *  # noqa: F403  (builds run in the project folder: invoke, make)

SITEURL = os.environ.get("KEPU_SITEURL", SAMPLE_SITEURL)  # noqa: F405  (SAMPLE_SITEURL: pelicanconf.py)
RELATIVE_URLS = False

# Calendars take each event's SEQUENCE and stamps from the content's git history: publishing from a
# shallow clone (CI's default depth) is refused with the command that fetches the whole history, and a
# copy without git with how to go on (set this to False only if the sequence fields are kept by hand).
KEPU_REQUIRE_FULL_HISTORY = True

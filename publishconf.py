"""Settings for publishing (``invoke publish``): absolute URLs from KEPU_SITEURL."""

import os

from pelicanconf import *  # noqa: F403  (builds run in the project folder: invoke, make)

SAMPLE_SITEURL = "https://kepu.example.cn"  # the sample's placeholder: invoke publish refuses to publish at it
SITEURL = os.environ.get("KEPU_SITEURL", SAMPLE_SITEURL)
RELATIVE_URLS = False

# Calendars take each event's SEQUENCE and stamps from the content's git history: publishing from a
# shallow clone (CI's default depth) is refused with the command that fetches the whole history.
KEPU_REQUIRE_FULL_HISTORY = True

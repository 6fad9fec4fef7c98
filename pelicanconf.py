"""Settings for building the portal locally (``make site``, ``invoke build``)."""

import logging
import os
from pathlib import Path

from kepu_pelican.filters import FILTERS  # the project is installed: make runs pip install -e .
from kepu_pelican.undefined import TemplateUndefined

ROOT = Path(__file__).resolve().parent

SITENAME = "滨海科普日历"
SITESUBTITLE = "天津市滨海新区科普活动一站查"
ORGANIZATION = "天津市滨海新区科学技术协会"
# The district in the site's texts and feeds (“滨海新区的科普活动”), structured data and map links;
# the code names no district. Literals: `invoke check` reads them too.
KEPU_DISTRICT = "滨海新区"
KEPU_REGION = "天津市"  # province or municipality (schema.org addressRegion)
KEPU_CITY = "天津"  # map apps look up venues without coordinates in this city
# The card WeChat and search engines show for a page: content/images/share.png when there is one
# (scripts/render_brand_images.py makes it from SITENAME), else the theme's, which names no district.
# SHARE_IMAGE = "images/share.png"
KEPU_CODEOWNERS_TEAM = "@binhai-kepu"  # invoke codeowners: <team>/admins, <team>/<street>-editors
SITEURL = os.environ.get("KEPU_SITEURL", "")
# The sample's placeholder address (publishconf.py's default): invoke publish refuses to publish at
# it, and a build made for it is said not to be uploaded.
SAMPLE_SITEURL = "https://kepu.example.cn"
# The sample content's district: with another KEPU_DISTRICT, invoke check and the build point out the
# settings, registries, pages and news still naming it (the sample's people.yml, say, left in place by
# a new district), and invoke publish refuses a web editor saving to the sample's repository.
SAMPLE_DISTRICT = "滨海新区"
# Its other names, looked for the same way: short name, city, Latin name (repository, team, domain).
# A district in 天津 too takes 天津 out.
SAMPLE_DISTRICT_NAMES = ("滨海", "天津", "binhai")
RELATIVE_URLS = False
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
AUTHOR = ORGANIZATION

# "Now" is an input: KEPU_BUILD_DATE=2026-12-01 fixes it; empty: today in TIMEZONE (kepu.config).
BUILD_DATE = os.environ.get("KEPU_BUILD_DATE", "")
EVENT_HORIZON_DAYS = 366  # recurring events are expanded this far ahead
SERIES_PAST_DAYS = 730  # and their dates shown back this far

PATH = str(ROOT / "content")
KEPU_ROOT = str(ROOT)
OUTPUT_PATH = str(ROOT / "output")
THEME = str(ROOT / "theme")
PLUGINS = ["kepu_pelican"]  # an installed module (plugins/kepu_pelican), found by its name

EVENT_PATHS = ["events"]
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []  # content/images/ is published by kepu_pelican.images, image by image, checked
KEPU_DATA_PATH = "data"
READERS = {"rst": None, "html": None, "htm": None}

# URLs: settings pairs as in Pelican, and only here (the code has no defaults: `invoke check` names a
# missing or wrong one). {id} is a registry item's id, {slug} an event's file name. Events and their groupings:
HOME_URL, HOME_SAVE_AS = "", "index.html"
NOT_FOUND_URL = NOT_FOUND_SAVE_AS = "404.html"
EVENT_URL, EVENT_SAVE_AS = "events/{slug}/", "events/{slug}/index.html"
EVENTS_URL, EVENTS_SAVE_AS = "events/", "events/index.html"
PAST_EVENTS_URL, PAST_EVENTS_SAVE_AS = "events/past/", "events/past/index.html"
STREET_URL, STREET_SAVE_AS = "streets/{id}/", "streets/{id}/index.html"
STREET_PAST_URL, STREET_PAST_SAVE_AS = "streets/{id}/past/", "streets/{id}/past/index.html"
STREETS_URL, STREETS_SAVE_AS = "streets/", "streets/index.html"
TEAM_URL, TEAM_SAVE_AS = "teams/{id}/", "teams/{id}/index.html"
TEAM_PAST_URL, TEAM_PAST_SAVE_AS = "teams/{id}/past/", "teams/{id}/past/index.html"
TEAMS_URL, TEAMS_SAVE_AS = "teams/", "teams/index.html"
EVENT_CATEGORY_URL, EVENT_CATEGORY_SAVE_AS = "categories/{id}/", "categories/{id}/index.html"
EVENT_CATEGORY_PAST_URL, EVENT_CATEGORY_PAST_SAVE_AS = "categories/{id}/past/", "categories/{id}/past/index.html"
EVENT_CATEGORIES_URL, EVENT_CATEGORIES_SAVE_AS = "categories/", "categories/index.html"
AUDIENCE_URL, AUDIENCE_SAVE_AS = "audiences/{id}/", "audiences/{id}/index.html"
AUDIENCE_PAST_URL, AUDIENCE_PAST_SAVE_AS = "audiences/{id}/past/", "audiences/{id}/past/index.html"
AUDIENCES_URL, AUDIENCES_SAVE_AS = "audiences/", "audiences/index.html"
# The association's programmes, campaigns, venues, communities and experts (content/data/*.yml):
PROGRAMME_URL, PROGRAMME_SAVE_AS = "programmes/{id}/", "programmes/{id}/index.html"
PROGRAMME_PAST_URL, PROGRAMME_PAST_SAVE_AS = "programmes/{id}/past/", "programmes/{id}/past/index.html"
PROGRAMMES_URL, PROGRAMMES_SAVE_AS = "programmes/", "programmes/index.html"
CAMPAIGN_URL, CAMPAIGN_SAVE_AS = "campaigns/{id}/", "campaigns/{id}/index.html"
CAMPAIGN_PAST_URL, CAMPAIGN_PAST_SAVE_AS = "campaigns/{id}/past/", "campaigns/{id}/past/index.html"
CAMPAIGNS_URL, CAMPAIGNS_SAVE_AS = "campaigns/", "campaigns/index.html"
VENUE_URL, VENUE_SAVE_AS = "venues/{id}/", "venues/{id}/index.html"
VENUE_PAST_URL, VENUE_PAST_SAVE_AS = "venues/{id}/past/", "venues/{id}/past/index.html"
VENUES_URL, VENUES_SAVE_AS = "venues/", "venues/index.html"
COMMUNITY_URL, COMMUNITY_SAVE_AS = "communities/{id}/", "communities/{id}/index.html"
COMMUNITY_PAST_URL, COMMUNITY_PAST_SAVE_AS = "communities/{id}/past/", "communities/{id}/past/index.html"
COMMUNITIES_URL, COMMUNITIES_SAVE_AS = "communities/", "communities/index.html"
PERSON_URL, PERSON_SAVE_AS = "people/{id}/", "people/{id}/index.html"
PERSON_PAST_URL, PERSON_PAST_SAVE_AS = "people/{id}/past/", "people/{id}/past/index.html"
PEOPLE_URL, PEOPLE_SAVE_AS = "people/", "people/index.html"
# News and pages (Pelican's own generators):
ARTICLE_URL, ARTICLE_SAVE_AS = "news/{slug}/", "news/{slug}/index.html"
DRAFT_URL = DRAFT_SAVE_AS = ""  # draft: true is checked, never published (not even at a hidden address)
PAGE_URL, PAGE_SAVE_AS = "{slug}/", "{slug}/index.html"
DRAFT_PAGE_URL = DRAFT_PAGE_SAVE_AS = ""
DIRECT_TEMPLATES = ["news"]
NEWS_URL, NEWS_SAVE_AS = "news/", "news/index.html"
INDEX_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""

# Page 2 of streets/xinbei/ is streets/xinbei/page/2/: never collides with another id.
DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"news": 10, "event_list": 30, "street": 30, "team": 30, "category": 30,
                       "audience": 30, "programme": 30, "campaign": 30, "venue": 30, "community": 30,
                       "person": 30, "past_list": 100}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

JINJA_FILTERS = FILTERS
# An undefined name in a template fails the build, naming template and line (kepu_pelican.undefined):
# optional values use `is defined` or `|default(...)`. Pelican passes this dict to jinja2.Environment.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True,
                     "undefined": TemplateUndefined}

# Pelican's content cache is keyed by the file alone (a sanitiser fix would not reach unchanged news
# and pages): off. Events' parses are cached by the build engine under the file's hash and the digest
# of the code that parsed them (kepu_pelican.engine.parses); news and pages are few and read each build.
# Pelican's English line for a picture without alt text (the file's whole path, no line): the check
# says it in Chinese with the line and how to write it (kepu.content.validation.body_image_problems).
LOG_FILTER = [(logging.WARNING, "Empty alt attribute for image %s in %s")]
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
CONTENT_CACHING_LAYER = "generator"
CHECK_MODIFIED_METHOD = "sha1"
CACHE_PATH = str(ROOT / ".cache" / "pelican")
# Compiled templates depend only on the theme's sources, Jinja's options and the plugins' code, so
# builds of any site may share them: KEPU_TEMPLATE_CACHE names such a folder (a CI runner's, the
# test suite's); empty: inside CACHE_PATH.
KEPU_TEMPLATE_CACHE = os.environ.get("KEPU_TEMPLATE_CACHE", "")
DELETE_OUTPUT_DIRECTORY = False
SLUGIFY_SOURCE = "basename"

# Filing numbers a site hosted in mainland China shows in its footer (docs/deploy.md, “备案”), each
# linked to the registry that lists it: the ICP number (e.g. "津ICP备2026000001号-1") and the public
# security one (e.g. "津公网安备12011602000001号"). Empty: no line in the footer.
KEPU_ICP = ""
KEPU_PSB = ""

# Calendar feeds. UIDs are "<slug>@UID_DOMAIN": never change it once feeds are published.
UID_DOMAIN = "kepu.binhai.example.cn"
DEV_SITEURL = "http://127.0.0.1:8000"  # absolute links in feeds while SITEURL is empty
FEED_PAST_DAYS = 90
FEED_REFRESH = "PT6H"
FEED_REFRESH_TEXT = "6 小时"
FEED_MAX_BYTES = 1_000_000
SUBSCRIBE_URL, SUBSCRIBE_SAVE_AS = "subscribe/", "subscribe/index.html"
# Per-feed subscribe pages (what the subscribe QR codes open): steps per phone, webcal and https links.
SUBSCRIBE_FEED_ALL_URL, SUBSCRIBE_FEED_ALL_SAVE_AS = "subscribe/all/", "subscribe/all/index.html"
SUBSCRIBE_FEED_STREET_URL = "subscribe/streets/{id}/"
SUBSCRIBE_FEED_STREET_SAVE_AS = "subscribe/streets/{id}/index.html"
SUBSCRIBE_FEED_TEAM_URL = "subscribe/teams/{id}/"
SUBSCRIBE_FEED_TEAM_SAVE_AS = "subscribe/teams/{id}/index.html"
SUBSCRIBE_FEED_EVENT_CATEGORY_URL = "subscribe/categories/{id}/"
SUBSCRIBE_FEED_EVENT_CATEGORY_SAVE_AS = "subscribe/categories/{id}/index.html"
SUBSCRIBE_FEED_AUDIENCE_URL = "subscribe/audiences/{id}/"
SUBSCRIBE_FEED_AUDIENCE_SAVE_AS = "subscribe/audiences/{id}/index.html"
SUBSCRIBE_FEED_PROGRAMME_URL = "subscribe/programmes/{id}/"
SUBSCRIBE_FEED_PROGRAMME_SAVE_AS = "subscribe/programmes/{id}/index.html"
SUBSCRIBE_FEED_CAMPAIGN_URL = "subscribe/campaigns/{id}/"
SUBSCRIBE_FEED_CAMPAIGN_SAVE_AS = "subscribe/campaigns/{id}/index.html"
SUBSCRIBE_FEED_VENUE_URL = "subscribe/venues/{id}/"
SUBSCRIBE_FEED_VENUE_SAVE_AS = "subscribe/venues/{id}/index.html"
SUBSCRIBE_FEED_COMMUNITY_URL = "subscribe/communities/{id}/"
SUBSCRIBE_FEED_COMMUNITY_SAVE_AS = "subscribe/communities/{id}/index.html"
SUBSCRIBE_FEED_PERSON_URL = "subscribe/people/{id}/"
SUBSCRIBE_FEED_PERSON_SAVE_AS = "subscribe/people/{id}/index.html"
EVENT_ICS_URL = EVENT_ICS_SAVE_AS = "events/{slug}.ics"
FEED_ALL_URL = FEED_ALL_SAVE_AS = "feeds/all.ics"
STREET_FEED_URL = STREET_FEED_SAVE_AS = "feeds/streets/{id}.ics"
TEAM_FEED_URL = TEAM_FEED_SAVE_AS = "feeds/teams/{id}.ics"
EVENT_CATEGORY_FEED_URL = EVENT_CATEGORY_FEED_SAVE_AS = "feeds/categories/{id}.ics"
AUDIENCE_FEED_URL = AUDIENCE_FEED_SAVE_AS = "feeds/audiences/{id}.ics"
PROGRAMME_FEED_URL = PROGRAMME_FEED_SAVE_AS = "feeds/programmes/{id}.ics"
CAMPAIGN_FEED_URL = CAMPAIGN_FEED_SAVE_AS = "feeds/campaigns/{id}.ics"
VENUE_FEED_URL = VENUE_FEED_SAVE_AS = "feeds/venues/{id}.ics"
COMMUNITY_FEED_URL = COMMUNITY_FEED_SAVE_AS = "feeds/communities/{id}.ics"
PERSON_FEED_URL = PERSON_FEED_SAVE_AS = "feeds/people/{id}.ics"
# The same groupings' upcoming events for feed readers (Atom), the soonest ATOM_MAX_ENTRIES of each.
ATOM_ALL_URL = ATOM_ALL_SAVE_AS = "feeds/all.atom"
STREET_ATOM_URL = STREET_ATOM_SAVE_AS = "feeds/streets/{id}.atom"
TEAM_ATOM_URL = TEAM_ATOM_SAVE_AS = "feeds/teams/{id}.atom"
EVENT_CATEGORY_ATOM_URL = EVENT_CATEGORY_ATOM_SAVE_AS = "feeds/categories/{id}.atom"
AUDIENCE_ATOM_URL = AUDIENCE_ATOM_SAVE_AS = "feeds/audiences/{id}.atom"
PROGRAMME_ATOM_URL = PROGRAMME_ATOM_SAVE_AS = "feeds/programmes/{id}.atom"
CAMPAIGN_ATOM_URL = CAMPAIGN_ATOM_SAVE_AS = "feeds/campaigns/{id}.atom"
VENUE_ATOM_URL = VENUE_ATOM_SAVE_AS = "feeds/venues/{id}.atom"
COMMUNITY_ATOM_URL = COMMUNITY_ATOM_SAVE_AS = "feeds/communities/{id}.atom"
PERSON_ATOM_URL = PERSON_ATOM_SAVE_AS = "feeds/people/{id}.atom"
ATOM_MAX_ENTRIES = 100

# Calendar views.
CALENDAR_URL, CALENDAR_SAVE_AS = "calendar/", "calendar/index.html"
CALENDAR_MONTH_URL = "calendar/{year}/{month:02d}/"
CALENDAR_MONTH_SAVE_AS = "calendar/{year}/{month:02d}/index.html"
CALENDAR_DAY_URL = "calendar/{year}/{month:02d}/{day:02d}/"
CALENDAR_DAY_SAVE_AS = "calendar/{year}/{month:02d}/{day:02d}/index.html"
CALENDAR_WEEK_URL, CALENDAR_WEEK_SAVE_AS = "calendar/week/", "calendar/week/index.html"
STREET_CALENDAR_MONTH_URL = "streets/{id}/calendar/{year}/{month:02d}/"
STREET_CALENDAR_MONTH_SAVE_AS = "streets/{id}/calendar/{year}/{month:02d}/index.html"
STREET_CALENDAR_WEEK_URL = "streets/{id}/calendar/week/"
STREET_CALENDAR_WEEK_SAVE_AS = "streets/{id}/calendar/week/index.html"

# Notice sheets (社区公告栏): one A4 page per street and community for the rest of this week
# (from the build day to Sunday) and for next week (Monday to Sunday), with a QR code to its page.
STREET_NOTICE_URL, STREET_NOTICE_SAVE_AS = "streets/{id}/notice/", "streets/{id}/notice/index.html"
STREET_NOTICE_NEXT_URL = "streets/{id}/notice/next/"
STREET_NOTICE_NEXT_SAVE_AS = "streets/{id}/notice/next/index.html"
COMMUNITY_NOTICE_URL, COMMUNITY_NOTICE_SAVE_AS = "communities/{id}/notice/", "communities/{id}/notice/index.html"
COMMUNITY_NOTICE_NEXT_URL = "communities/{id}/notice/next/"
COMMUNITY_NOTICE_NEXT_SAVE_AS = "communities/{id}/notice/next/index.html"

# Public site: posters print a QR code for events in the next POSTER_QR_DAYS days.
# The events list's filters cover every upcoming event (kepu.formats.finder; no time window).
POSTER_QR_DAYS = 45
SEARCH_URL, SEARCH_SAVE_AS = "search/", "search/index.html"
# The search index (kepu.formats.searchindex): a manifest, and the build's files in a folder beside it.
SEARCH_INDEX_URL = SEARCH_INDEX_SAVE_AS = "search/index.json"
SEARCH_INDEX = True  # False: no index and no search page results (the page still says what to do)
SEARCH_BODY_CHARS = 2000  # of each page's text, how much search reads beyond its names
FILTER_INDEX_URL = FILTER_INDEX_SAVE_AS = "events/filter.json"

# Figures, open data, embeds and the change feed.
STATS_URL, STATS_SAVE_AS = "stats/", "stats/index.html"
STATS_YEAR_URL, STATS_YEAR_SAVE_AS = "stats/{year}/", "stats/{year}/index.html"
# The year-end summary table (kepu.formats.summarysheet), as CSV and XLSX.
STATS_SUMMARY_CSV_URL = STATS_SUMMARY_CSV_SAVE_AS = "stats/{year}/summary-{year}.csv"
STATS_SUMMARY_XLSX_URL = STATS_SUMMARY_XLSX_SAVE_AS = "stats/{year}/summary-{year}.xlsx"
DATA_URL, DATA_SAVE_AS = "data/", "data/index.html"
DATA_EVENTS_URL = DATA_EVENTS_SAVE_AS = "data/events.json"
DATA_SCHEMA_URL = DATA_SCHEMA_SAVE_AS = "data/events.schema.json"
DATA_CSV_URL = DATA_CSV_SAVE_AS = "data/events.csv"
DATA_STREET_URL = DATA_STREET_SAVE_AS = "data/streets/{id}.json"
# The registries as open data (programmes, campaigns, venues, communities, consenting people).
DATA_REGISTRY_URL = DATA_REGISTRY_SAVE_AS = "data/{registry}.json"
# A campaign's day-by-day programme (kepu.index.campaigndays): a page per day, per day and street,
# category or audience (a long one continued on .../2/), printable programmes, calendar files by day.
CAMPAIGN_DAY_URL, CAMPAIGN_DAY_SAVE_AS = "campaigns/{id}/{day}/", "campaigns/{id}/{day}/index.html"
CAMPAIGN_DAY_FILTER_URL = "campaigns/{id}/{day}/{group}/{item}/"
CAMPAIGN_DAY_FILTER_SAVE_AS = "campaigns/{id}/{day}/{group}/{item}/index.html"
CAMPAIGN_PRINT_URL, CAMPAIGN_PRINT_SAVE_AS = "campaigns/{id}/print/", "campaigns/{id}/print/index.html"
CAMPAIGN_DAY_PRINT_URL, CAMPAIGN_DAY_PRINT_SAVE_AS = "campaigns/{id}/{day}/print/", "campaigns/{id}/{day}/print/index.html"
CAMPAIGN_PART_FEED_URL = CAMPAIGN_PART_FEED_SAVE_AS = "feeds/campaigns/{id}/{part}.ics"
# 科普路线 (content/data/routes.yml): venues visited in order, drawn on the venue map.
ROUTE_URL, ROUTE_SAVE_AS = "routes/{id}/", "routes/{id}/index.html"
ROUTES_URL, ROUTES_SAVE_AS = "routes/", "routes/index.html"
EMBED_STREET_URL, EMBED_STREET_SAVE_AS = "embed/streets/{id}/", "embed/streets/{id}/index.html"
EMBED_CATEGORY_URL, EMBED_CATEGORY_SAVE_AS = "embed/categories/{id}/", "embed/categories/{id}/index.html"
EMBED_TEAM_URL, EMBED_TEAM_SAVE_AS = "embed/teams/{id}/", "embed/teams/{id}/index.html"
EMBED_AUDIENCE_URL, EMBED_AUDIENCE_SAVE_AS = "embed/audiences/{id}/", "embed/audiences/{id}/index.html"
EMBED_PROGRAMME_URL, EMBED_PROGRAMME_SAVE_AS = "embed/programmes/{id}/", "embed/programmes/{id}/index.html"
EMBED_CAMPAIGN_URL, EMBED_CAMPAIGN_SAVE_AS = "embed/campaigns/{id}/", "embed/campaigns/{id}/index.html"
EMBED_VENUE_URL, EMBED_VENUE_SAVE_AS = "embed/venues/{id}/", "embed/venues/{id}/index.html"
EMBED_COMMUNITY_URL, EMBED_COMMUNITY_SAVE_AS = "embed/communities/{id}/", "embed/communities/{id}/index.html"
EMBED_PERSON_URL, EMBED_PERSON_SAVE_AS = "embed/people/{id}/", "embed/people/{id}/index.html"
CHANGES_FEED_URL = CHANGES_FEED_SAVE_AS = "feeds/changes.atom"

# Processes for parsing and page writing (default: one per core); KEPU_WORKERS=1 for one.
KEPU_WORKERS = int(os.environ.get("KEPU_WORKERS", "0")) or None
# Fewer events than this are parsed and written in this process, forking costs more than it saves
# (default: kepu.content.events.PARALLEL_THRESHOLD); tests lower it to spread a small site.
KEPU_PARALLEL_MIN_EVENTS = int(os.environ.get("KEPU_PARALLEL_MIN_EVENTS", "0")) or None
GZIP_CACHE = False  # the content cache is read and written on every build: keep it fast

# The web editor at /admin/ (Decap CMS; docs/deploy.md, “网页编辑”): the Git host and repository it
# saves to. name: github, gitlab, forgejo or gitea (self-hosted Forgejo/Gitea also takes base_url, api_root
# and app_id, the OAuth application's id). Gitee is not supported by Decap CMS.
KEPU_CMS_BACKEND = {"name": "github", "repo": "binhai-kexie/kepu-calendar", "branch": "main"}
# Changes go through review (草稿 → 待审核 → 可发布) as pull requests: github, forgejo; gitea commits directly.
KEPU_CMS_WORKFLOW = True

"""Every setting of newscrawl, with its default and the reason for it, in one place.

Scrapy's own settings keep their Scrapy names; ours carry the ``NEWS_`` prefix. This is the
only module that reads the environment (``REDIS_URL``, ``DATABASE_URL``,
``NEWSCRAWL_ALLOW_PRIVATE``): components read settings, never ``os.environ``, and never
carry inline fallbacks. ``scrapy.cfg`` points Scrapy here, so ``scrapy crawl`` and
``newscrawl`` see the same configuration.
"""

import os

from crawler.items import MIN_BODY_CHARS

# --- Identity and politeness -------------------------------------------------------------

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# Scrapy's loader raises on the first site file that does not import and so stops every
# worker; this one imports each file on its own and leaves a broken one out (SiteRegistry
# says why in one line), so the other sites load and crawl.
SPIDER_LOADER_CLASS = "crawler.siteloader.SiteSpiderLoader"

# A real, contactable User-Agent: site owners must be able to find out who crawls them.
# Operators running their own crawls should put their own contact here (-s USER_AGENT=...).
USER_AGENT = "newscrawl/0.1 (+https://github.com/newscrawl/newscrawl; newscrawl-bot@proton.me)"

ROBOTSTXT_OBEY = True
# One request per second per host across *all* workers: the frontier enforces it in Redis
# (crawler/coordination/frontier.py). 1 s is the long-standing courtesy default of
# polite crawlers (Heritrix's minDelayMs, StormCrawler's fetcher.server.delay).
DOWNLOAD_DELAY = 1.0
# Politeness lives in the shared frontier; a random local jitter on top would only slow a
# worker down without making the site's load any smoother.
DOWNLOAD_DELAY_JITTER = 0.0
# robots.txt Crawl-delay above this many seconds is taken as this: a site's own robots.txt
# must not hold a crawl for hours (`Crawl-delay: 86400` would schedule its next page a day
# ahead). A minute still means at most 1,440 pages a day from that host; `status` lists the
# hosts slowed to it.
NEWS_MAX_CRAWL_DELAY = 60.0
CONCURRENT_REQUESTS = 16
# At most two requests in flight per host, for all workers together (frontier-enforced).
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = False

# --- Limits on every fetch ---------------------------------------------------------------

DOWNLOAD_TIMEOUT = 30
# News pages are 50 KB - 2 MB; anything beyond 10 MB is not an article page.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
# Home -> section -> page 2..n -> article is depth 4 on most sites; 6 leaves room for tag
# and author pages while stopping calendar archives and other endless link spaces.
DEPTH_LIMIT = 6
DEPTH_PRIORITY = 0
URLLENGTH_LIMIT = 2083  # the longest URL Internet Explorer accepted; nothing real is longer
RETRY_ENABLED = True
RETRY_TIMES = 2
REFERER_ENABLED = True
COOKIES_ENABLED = False

# --- Bounded work per fetch --------------------------------------------------------------
# What a response may cost a worker beyond its body's size: headers, the unpacking and
# parsing of feeds and sitemaps, links, time on the reactor (docs/robustness.md, "Bounded
# work per response", with the figures measured by benchmarks/hostile_limits.py;
# benchmarks/limits.md has the measurements behind each number). 0 turns a cap off.

# The response header block (status line included), refused past this size; DOWNLOAD_MAXSIZE
# counts the body only. nginx as a reverse proxy refuses upstream header blocks over its
# proxy_buffer_size (4 or 8 KB by default) and Chromium over 256 KiB, so real sites stay
# far below 64 KiB, which still keeps what a worker holds per response small.
NEWS_MAX_HEADER_BYTES = 64 * 1024
# ... and past this many header lines: news responses carry a few dozen (caching, CDN,
# security headers, a few Set-Cookie); Twisted's own HTTP server refuses requests with more
# than 500 (twisted.web.http.HTTPChannel.maxHeaders). Each line is a Python object through
# Twisted's and Scrapy's header handling, and 64 KiB of 5-byte lines would be 13,000.
NEWS_MAX_HEADER_LINES = 500
# Feeds and sitemaps larger than this once decompressed are not read (one line says so);
# the smaller of this and DOWNLOAD_MAXSIZE applies. A sitemap at the protocol's limit of
# 50,000 URLs takes about 6.5 MB with their lastmod (130 bytes a <url>); a Google News
# sitemap holds at most 1,000 URLs and a feed its latest items, both well under 1 MB. 8 MiB
# reads all of them, and unpacks a gzip bomb (49 KB -> 50 MB) no further than that.
NEWS_SITEMAP_MAXSIZE = 8 * 1024 * 1024
# Entries read from one feed or sitemap (the rest is not even parsed): a crawl round takes
# at most NEWS_MAX_PAGES_PER_HOST pages from a host, so entries beyond that many would only
# be refused by the frontier, after costing a request each.
NEWS_SITEMAP_MAX_ENTRIES = 5000
# Links taken from one page, the first ones in document order; a page with more is not read
# as an article either. News pages carry a few hundred: at most 497 on 230 real article
# pages of 166 publishers, 47 on the demo site (benchmarks/links_per_page.py); four times
# the most seen leaves room for home pages. Extraction costs about 0.15 ms a link (0.28 s
# at 2,000, 17.5 s at 100,000), and without the cap a page of 100,000 links took a worker
# to 687 MiB.
NEWS_MAX_LINKS_PER_PAGE = 2000
# A page with more text than this (estimated from its bytes, scripts and styles left out) is
# not read as an article; its links are still taken. The most text on 230 real article
# pages is 140 KB, navigation and all (the longest article body 41 KB), and extraction
# costs some 50 times the text in memory: a 10 MB page of paragraphs took a worker to
# 601 MiB and 32 s, a 10 MB page of inline data around a normal article 178 MiB
# (benchmarks/hostile_limits.py). Only pages larger than this are measured.
NEWS_MAX_TEXT_BYTES = 1_000_000
# Bodies at least this large once unpacked (pages, feeds, sitemaps) are read (parsed,
# extracted, their links taken) in a thread, one at a time, off the reactor. Reading the
# 230 real article pages took at most 0.41-0.65 s, for pages of 290-500 KB (benchmarks/
# page_read_cost.py, two runs), so a body under 1 MiB holds the reactor well under the 2 s
# allowed; 10 of the 230 are larger. Small bodies stay on the reactor: a thread for every
# page cost a quarter of the throughput (benchmarks/frontier.md).
NEWS_THREAD_READ_BYTES = 1024 * 1024

# --- Scrapy components -------------------------------------------------------------------

# Scrapy's remote-control console and telnet console execute code sent to them: off.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# scrapy-redis's scheduler through its plug points (crawler/coordination/scheduler.py;
# every adaptation is listed in crawler/coordination/scrapy_redis_adapter.py).
SCHEDULER = "crawler.coordination.scheduler.FrontierScheduler"
# Leased, not popped: a request is acknowledged once its page is fully handled.
SCHEDULER_QUEUE_CLASS = "crawler.coordination.queue.LeaseQueue"
# Requests travel through Redis as JSON, never pickle.
SCHEDULER_SERIALIZER = "crawler.coordination.codec"
# A closing worker never deletes the queue and filter the other workers share.
SCHEDULER_PERSIST = True
# The links this worker queued recently, skipped without a round trip; the shared
# seen-filter is checked inside the frontier's sync script, atomically with the enqueue.
DUPEFILTER_CLASS = "crawler.coordination.seen.RecentLinksFilter"

DOWNLOADER_MIDDLEWARES = {
    # Replaces Scrapy's robots.txt middleware: one fetch per host for all workers.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.SharedRobotsTxtMiddleware": 100,
    # Before anything connects: refuse private, loopback and link-local addresses.
    "crawler.middlewares.addressguard.AddressGuardMiddleware": 50,
    # Feeds and sitemaps fetched with If-None-Match / If-Modified-Since, validators shared by
    # all workers; a 304 is "nothing new". Next to Scrapy's HttpCacheMiddleware's slot (900)
    # would do as well: only the request's headers and the response's status matter.
    "crawler.middlewares.conditional.ConditionalRequestsMiddleware": 560,
}

ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.store.StorePipeline": 300,
}

SPIDER_MIDDLEWARES = {
    # Tells the frontier which page found each link and which pages stored an article.
    "crawler.coordination.trap_budget.TrapBudgetMiddleware": 50,
}

EXTENSIONS = {
    # Non-HTML bodies (PDF, images, video) are dropped from their headers, never read.
    "crawler.extensions.contenttype.NonHtmlFilter": 100,
    # A page whose callback or pipelines raised becomes a dead letter, not a silent ack.
    "crawler.extensions.failures.FailureDeadLetters": 110,
    # How long anything held the reactor: a stat, a closing line, a warning past a second.
    "crawler.extensions.reactorlag.ReactorLagMonitor": 120,
    # Scrapy's "Crawled N pages" line every minute duplicates our progress line.
    "scrapy.extensions.logstats.LogStats": None,
}

LOG_LEVEL = "INFO"
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
LOG_DATEFORMAT = "%H:%M:%S"
FEED_EXPORT_ENCODING = "utf-8"

# --- Coordination (Redis) ----------------------------------------------------------------

# REDIS_URL from the environment; unset means "127.0.0.1:6379 if it answers, else an
# embedded redis-server that the command starts and owns" (crawler/coordination/embedded.py).
NEWS_REDIS_URL = os.environ.get("REDIS_URL", "")
NEWS_REDIS_DEFAULT_URL = "redis://127.0.0.1:6379/0"
# Every key of the project lives under this prefix (crawler/coordination/keys.py).
NEWS_KEY_PREFIX = "newscrawl"
# Where the embedded Redis keeps its socket and append-only file.
NEWS_DATA_DIR = "data"

# A request taken by a worker is leased for this long, and the lease is extended while the
# page is still being worked on; an unacknowledged lease goes back to the queue. 120 s is
# four times DOWNLOAD_TIMEOUT: a page that is still not done by then is stuck.
NEWS_LEASE_SECONDS = 120.0
# Heartbeats publish a worker's liveness and counters and extend its leases.
NEWS_HEARTBEAT_SECONDS = 5.0
# A worker with no heartbeat for this long is shown as dead in `status`...
NEWS_WORKER_DEAD_SECONDS = 30.0
# ...and after this long it is forgotten: `status` lists it no more (a machine that went
# away, a worker killed outright), and the next heartbeat of any worker drops its entry.
NEWS_WORKER_FORGET_SECONDS = 600.0
# How often a worker pushes discovered links and acknowledges finished pages, batched into
# one Redis round trip. 0.1 s keeps acks prompt without a round trip per page.
NEWS_SYNC_INTERVAL = 0.1
# A request whose lease expired this many times (its worker died or hung on it) goes to
# the dead-letter list instead of back to the queue. Requests that fail to download are
# retried RETRY_TIMES times by Scrapy and then dead-lettered.
NEWS_MAX_ATTEMPTS = 3
# How many due hosts one lease call looks at before giving up (bounds the Lua script's work).
NEWS_LEASE_SCAN_HOSTS = 64
# Requests a worker may hold leased but not yet handed to its downloader.
NEWS_LEASE_BATCH = 8
# Trap budget (crawler/coordination/trap_budget.py, docs/crawling.md): a host's URL template
# gets no more fetches after this many in a row that led to no new article (calendars,
# facets, search, session ids, pagination past the end); 0 turns it off. Entry points are
# never cut; seeding a site starts a new round. docs/crawling.md gives the figures that
# chose it.
NEWS_TEMPLATE_BUDGET = 10
# Stop discovering pages on a host after this many in one round (calendar archives and
# other endless link spaces); seeding the site starts a new round. Shown in `status`.
NEWS_MAX_PAGES_PER_HOST = 5000

# Seen-filter: "bloom" (Redis bitmap, 1.8 bytes per URL at 0.1 % false positives) or
# "set" (exact, with per-URL times for recrawl: 135 bytes per URL; benchmarks/frontier.md).
NEWS_SEEN_MODE = "bloom"
NEWS_SEEN_CAPACITY = 1_000_000
NEWS_SEEN_ERROR_RATE = 0.001
# Article URLs may be fetched again after this many days (0: never, unless a feed or sitemap
# announces a later date for one: crawler/coordination/revisits.py). Entry points (home,
# sections, feeds, sitemaps) bypass the filter and are fetched every time a site is seeded.
NEWS_RECRAWL_DAYS = 0
# Listing pages (sections, tags, pagination) found by links are fetched again after this
# long, so that new articles on them are found; half the usual re-seeding interval.
NEWS_LISTING_REFRESH_MINUTES = 30.0

# `newscrawl crawl` ends after this many seconds even if the frontier is not drained (0: no
# deadline): its workers drain gracefully and what they could not fetch stays queued for
# the next run. For cron jobs that must finish before the next one starts.
NEWS_CRAWL_DEADLINE_SECONDS = 0.0

# --- Scheduled re-seeding (`newscrawl schedule`) ------------------------------------------

# The leader's lease: a scheduler that dies is replaced after at most this long (plus a third
# of it, how often standbys look), so it must stay below the shortest interval a site is
# re-seeded at. 30 s rides out a Redis failover (a few seconds) and a long seeding pass
# between renewals, and still hands over well within the shortest usual interval, a minute.
NEWS_SCHEDULE_LEADER_SECONDS = 30.0
# Each tick of a site is seeded up to a tenth of its interval late, and at most this many
# seconds: sites declared with the same interval (every 15 minutes, on the quarter hour,
# like everyone else's cron jobs) would otherwise all be seeded, and hit, in the same
# second. The delay is drawn from the site's name and the tick, so that every scheduler
# draws the same. 0: seeded right on the tick.
NEWS_SCHEDULE_JITTER_SECONDS = 120.0
# A site with more requests than this still queued for its hosts skips its tick (`status`
# says so): its previous round is not worked off yet, and seeding now would only start a
# new round (page cap, trap budget) on top of it. A round of a news site queues a few
# hundred pages (the demo site: 82; a Google News sitemap lists at most 1,000 URLs), so a
# thousand left over means the workers are falling behind. 0: never skip.
NEWS_SCHEDULE_MAX_BACKLOG = 1000
# Re-seed every site every this many seconds instead of on its own every_minutes or cron
# (0: each site's own). For tests and catch-up runs.
NEWS_SCHEDULE_EVERY_SECONDS = 0.0

# `crawl` mode: a worker exits once the frontier is drained and nothing is leased for this
# long (the grace covers a sibling that is about to push newly found links).
NEWS_EXIT_WHEN_DRAINED = False
NEWS_DRAIN_GRACE_SECONDS = 2.0

# --- Safety ------------------------------------------------------------------------------

# Loopback, private, link-local and cloud-metadata addresses are refused unless allowed.
NEWS_ALLOW_PRIVATE = os.environ.get("NEWSCRAWL_ALLOW_PRIVATE", "") in {"1", "true", "yes"}
# Networks (CIDR) and host names allowed even when private networks are not.
NEWS_ALLOW_NETWORKS: list[str] = []
NEWS_ALLOW_HOSTS: list[str] = []
# Resolves names for connections and drops refused addresses (DNS rebinding cannot slip
# between the address guard's check and the connection).
TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"
# Only http and https are fetched: no file://, s3://, ftp:// or data: handlers. http and
# https are Scrapy's own handler with the response header block bounded
# (NEWS_MAX_HEADER_BYTES, NEWS_MAX_HEADER_LINES).
DOWNLOAD_HANDLERS = {
    "http": "crawler.handlers.http11.BoundedHTTP11DownloadHandler",
    "https": "crawler.handlers.http11.BoundedHTTP11DownloadHandler",
    "file": None,
    "s3": None,
    "ftp": None,
    "data": None,
}

# --- Extraction and storage --------------------------------------------------------------

# Articles whose body is shorter than this are dropped by validation. The default is the
# article contract's floor (crawler/items.py, where its reason is given), which the
# classifier applies too.
NEWS_MIN_BODY_CHARS = MIN_BODY_CHARS
# DATABASE_URL from the environment, else SQLite under data/.
NEWS_DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///data/articles.db")

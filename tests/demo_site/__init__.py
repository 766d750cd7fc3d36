"""A local demo news site, The Loopback Herald, for `make demo` and the crawl tests.

Thirty invented articles across five sections, rendered with four different page
templates and six ways of placing teasers for other stories around the body, plus the
listing pages, feeds, sitemaps, robots.txt, crawler traps and failing URLs a real news
site has. `server.DemoSite` serves it on loopback and returns ground truth (`manifest()`)
to compare a crawl with; `content` holds the deterministic site model and rendering, and
`stories` the hand-written stories. Standard library only.
"""

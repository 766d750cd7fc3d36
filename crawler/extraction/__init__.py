"""Article extraction: ``extract(html, url, overrides, hints) -> Article``, a pure function.

Given a page's HTML and URL it returns the article body (without teasers, comments,
navigation or newsletter boxes) and its metadata. It never imports Scrapy and never does
I/O, so the crawler, the offline ``newscrawl extract`` command and the evaluation all run
the very same code.
"""

from crawler.extraction.decoding import decode_html
from crawler.extraction.model import Hints, Overrides, PageAnalysis
from crawler.extraction.page import analyse_page, extract

__all__ = ["Hints", "Overrides", "PageAnalysis", "analyse_page", "decode_html", "extract"]

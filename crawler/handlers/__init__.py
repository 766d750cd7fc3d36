"""Scrapy download handlers of newscrawl: HTTP/1.1 with a bounded response header block."""

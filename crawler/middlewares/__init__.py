"""Scrapy downloader middlewares of newscrawl: shared robots.txt, address guard, content type."""

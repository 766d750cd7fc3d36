"""newscrawl's engine: settings, the Article item, extraction, Redis coordination and the CLI.

Importing this package does no work and imports nothing heavy: extraction must stay usable
without Scrapy, and the CLI starts fast.
"""

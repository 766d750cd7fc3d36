"""Site declarations that exist only for tests (added with -s SPIDER_MODULES=...)."""

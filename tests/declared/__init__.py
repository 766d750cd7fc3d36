"""Site declarations for the demo and the tests, outside the production registry (spiders/).

Added to a command with ``-s SPIDER_MODULES='["spiders", "tests.declared.demo"]'`` (see
``WITH_DEMO``), the way an operator keeps declarations of their own in another package.
"""

# The -s override that adds the demo's declaration to a command's registry.
WITH_DEMO = 'SPIDER_MODULES=["spiders", "tests.declared.demo"]'

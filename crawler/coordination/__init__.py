"""The only code that talks to Redis: the frontier, its keys, the workers' Redis service.

Modules outside this package never import redis (a contract in pyproject.toml, checked by
tests/test_architecture.py); they reach Redis through ``FrontierService`` (workers) or
``Frontier`` (commands).
"""

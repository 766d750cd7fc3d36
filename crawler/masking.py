"""Passwords out of every message: the one function that masks a URL's secret.

Redis URLs (``redis://:pass@host``, ``redis://token@host``, ``?password=``) and database
URLs (``postgresql://user:pass@host/db``, any SQLAlchemy ``dialect+driver://`` URL) alike:
``mask_url`` is applied before a URL reaches a log line, an error, ``status`` or a summary.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit


def mask_url(url: str) -> str:
    """``url`` with its password (and a bare token user) replaced by ``***``."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port that is not a number in range
    except ValueError:
        return "<unparseable URL>"
    query = _mask_query_password(parts.query)
    if parts.password is None and not (parts.username and parts.scheme.startswith("redis")):
        return urlunsplit(parts._replace(query=query)) if query != parts.query else url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets
    if port:
        host = f"{host}:{port}"
    user = parts.username or ""
    if parts.password is not None:
        userinfo = f"{user}:***" if user else ":***"
    else:
        # redis://token@host: a bare userinfo is the password for Redis AUTH.
        userinfo = "***"
    return urlunsplit((parts.scheme, f"{userinfo}@{host}", parts.path, query, ""))


# A URL quoted in a message: a scheme, "://", and everything up to a space or a quote.
_URL_IN_TEXT = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s'\"<>]*")


def mask_urls(text: str) -> str:
    """``text`` with every URL in it masked: for messages that quote what the operator
    typed (an unrecognised argument, a target that is no URL), whatever it is."""
    return _URL_IN_TEXT.sub(lambda match: mask_url(match.group()), text)


def _mask_query_password(query: str) -> str:
    """redis-py also reads ``?password=`` from the query string: hide it there too."""
    return re.sub(r"(?i)(^|&)(password=)[^&]*", r"\1\2***", query)

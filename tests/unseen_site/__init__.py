"""The unseen news site (placeholder docstring, written in full later)."""

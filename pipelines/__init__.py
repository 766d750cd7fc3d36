"""Item pipelines, one concern per module: validate, then store (one row per story and site)."""

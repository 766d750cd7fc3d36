"""Item pipelines, one concern per module: validate, then dedupe, then store."""

"""An item pipeline that fails on every article, for the dead-letter test."""

from __future__ import annotations

from typing import Any


class FailingPipeline:
    def process_item(self, item: Any) -> Any:
        raise OSError(28, "No space left on device")

"""Models of the awards app, re-exported from one module per area."""

from awards.models.catalogue import AwardType

__all__ = [
    "AwardType",
]

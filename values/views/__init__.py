"""The value base's pages, by family: reading, drafts, their items, and files.

Word import has its own module (`values.word_views`). The pages are re-exported
here, so `values.views` stays the one name the URLs use.
"""

from __future__ import annotations

from .drafts import adopt, discard, draft_details, draft_edit, draft_start
from .files import export, export_word, import_draft
from .items import item_add, item_delete, item_edit, item_move
from .reading import (
    compare,
    in_force,
    index,
    search,
    value_detail,
    version_detail,
    version_list,
)

__all__ = [
    "adopt",
    "compare",
    "discard",
    "draft_details",
    "draft_edit",
    "draft_start",
    "export",
    "export_word",
    "import_draft",
    "in_force",
    "index",
    "item_add",
    "item_delete",
    "item_edit",
    "item_move",
    "search",
    "value_detail",
    "version_detail",
    "version_list",
]

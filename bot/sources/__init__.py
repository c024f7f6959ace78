"""Sources hand over raw documents: a folder today; RSS/Atom feeds and a webhook later."""

from bot.sources.folder import FolderSource, Problem

__all__ = ["FolderSource", "Problem"]

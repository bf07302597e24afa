"""The core: storage, codebooks, commands, import/export. Pure Python, never imports Qt."""

from annotator.core.deferred_imports import defer_imports

defer_imports()  # before SQLAlchemy is imported: asyncio and importlib.metadata load on first use

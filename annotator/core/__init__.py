"""The core: storage, codebooks, commands, import/export. Pure Python, never imports Qt."""

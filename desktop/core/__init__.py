"""The core: domain model, archive, importers. Pure Python; never imports Qt."""

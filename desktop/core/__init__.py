"""The core: domain model, archive, services, importers. Pure Python; never imports Qt."""

"""File ▸ Export… and File ▸ Import… for other tools' formats, run as jobs."""

"""Backups in the window: automatic ones as jobs, Back Up Now, Restore from Backup…."""

from desktop.ui.backups.flow import BackupFlow
from desktop.ui.backups.restore_dialog import RestoreDialog

__all__ = ["BackupFlow", "RestoreDialog"]

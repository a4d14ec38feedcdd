"""Backups in the window: automatic ones as jobs, Back Up Now, Restore from Backup…."""

from desktop.ui.backups.flow import BackupFlow, offer_restore, open_with_restore_offer
from desktop.ui.backups.restore_dialog import RestoreDialog

__all__ = ["BackupFlow", "RestoreDialog", "offer_restore",
           "open_with_restore_offer"]

"""The Qt interface: windows, views, item models and undo commands over `desktop.core`."""

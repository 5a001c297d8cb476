"""The public welcome page and the staff dashboard."""

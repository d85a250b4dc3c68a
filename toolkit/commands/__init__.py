"""One module per ``bulletin`` sub-command; see ``toolkit.cli``."""

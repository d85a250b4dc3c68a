"""bulletin: offline, glossary-constrained English translation of Chinese policy bulletins."""

__version__ = "0.1.0"

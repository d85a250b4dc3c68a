"""Renderers: documents as views for a person (structure, English, summaries, HTML)."""

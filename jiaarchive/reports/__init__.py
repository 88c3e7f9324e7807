"""Renderers: they lay out what the domain computed, never compute a score themselves."""

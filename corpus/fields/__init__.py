"""Structured fields read off the text: bylines (publisher, reporters) and dates."""

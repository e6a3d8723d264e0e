"""The render room: one table model and its text, Markdown, CSV and HTML/pandas views.

Imports the rooms below it. See docs/architecture.md.
"""

"""The formats room: readers (SoA, SSSOM/CSV layers, CISO Assistant YAML) and writers
(GraphML, node-link JSON, CSV, SSSOM, OSCAL, CISO Assistant), one module per format.

Imports the rooms below it (core, catalog, drafts). See docs/architecture.md.
"""

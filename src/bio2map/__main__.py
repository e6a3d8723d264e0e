"""``python -m bio2map``: the command line."""

from bio2map.cli.main import run

run()

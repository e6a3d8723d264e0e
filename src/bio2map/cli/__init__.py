"""The command line: a lazy command table (each command's module is imported only when
it runs). ``bio2map.cli.main:run`` is the console script.
"""

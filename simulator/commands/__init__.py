"""The `tabletop` subcommands' implementations (cli.py only parses and dispatches)."""

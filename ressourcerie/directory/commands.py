"""Command-line commands of this feature (registered by ressourcerie.cli)."""

import click

# Click commands or groups of this feature; ressourcerie.cli adds each to `flask`.
COMMANDS: list[click.Command] = []

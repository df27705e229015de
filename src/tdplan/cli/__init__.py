"""Layer 5, the command line: ``tdplan`` and its subcommands (docs/architecture.md)."""

from tdplan.cli.main import main

__all__ = ["main"]

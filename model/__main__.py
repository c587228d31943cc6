"""`python -m model ...` is the `sim` command."""

from model.cli import main

main(prog_name="sim")

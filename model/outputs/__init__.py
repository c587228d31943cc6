"""Everything a run writes: files (atomic writes, one list of writers), the terminal summary, the
report (one list of sections, rendered as Markdown and HTML), the search, sweep, compare and
backtest renderers, and the charts (charts/: one style module, one save)."""

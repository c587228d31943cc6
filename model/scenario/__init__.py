"""file -> Scenario: the format (schema), located YAML, merging, checks worded for the writer, seed
quotes, and the dated view. No numpy, mesa or matplotlib here, so `sim validate` stays fast."""

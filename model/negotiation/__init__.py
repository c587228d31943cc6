"""The negotiation as a Mesa model: one agent per actor, one step per round; the dynamics rules
(rules/, one registry) and the per-issue forecasts."""

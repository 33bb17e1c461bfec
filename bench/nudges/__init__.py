"""The nudge fan-out bench: `advisor serve` sending due nudges to a fake Slack that enforces
Slack's posting limits (issue 18)."""

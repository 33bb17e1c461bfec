"""Adapters and the process: terminal, Slack and Teams, the server, the composition root."""

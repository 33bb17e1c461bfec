"""The Slack adapter: Block Kit out, block actions, slash commands and messages in."""

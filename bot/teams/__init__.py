"""The Teams adapter: Adaptive Cards out, card submits and messages in."""

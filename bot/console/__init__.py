"""The terminal chat: numbered choices on standard input and output."""

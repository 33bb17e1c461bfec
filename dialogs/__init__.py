"""Channel-neutral conversations: neutral events in, neutral messages out, ports for the rest."""

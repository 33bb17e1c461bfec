"""Adapters out: SQLAlchemy implementations of the ports that dialogs/ declares."""

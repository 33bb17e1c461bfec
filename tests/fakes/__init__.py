"""Test doubles for the ports: in-memory stores and a fixed clock."""

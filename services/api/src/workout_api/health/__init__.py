"""Liveness/readiness: the database check the contract describes."""

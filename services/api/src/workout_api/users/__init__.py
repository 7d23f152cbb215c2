"""Accounts that can sign in: people (admin, user, readonly) and the platform's service identity."""

"""Test fixtures of the platform: real PostgreSQL and Redis servers (never mocks), services as
processes or in-thread servers, an OTLP receiver, a fake Anthropic API and training logs.

A development package: the services never depend on it and no image installs it.
"""

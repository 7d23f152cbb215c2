"""The base of every service's settings (the operator's too): read from the environment.

Unknown variables are ignored, names are case-insensitive, and a field can be given by its
name in code and tests as well as by its variable. A bad value stops the process at start
with pydantic's message naming the variable.
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False, populate_by_name=True)

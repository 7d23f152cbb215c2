"""Which model answers: the one ``AI_MODEL`` names when it can be used, else the offline coach."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pydantic_ai.exceptions import UserError
from pydantic_ai.models import Model, infer_model, parse_model_id
from pydantic_ai.providers import infer_provider_class
from pydantic_ai.settings import ModelSettings

from workout_coach.offline_coach import OFFLINE_MODEL_NAME, offline_model
from workout_coach.settings import CONTRACT_DEFAULT_MODEL, OFFLINE_MODEL_SETTING, CoachSettings

logger = logging.getLogger(__name__)


class UnknownModelError(ValueError):
    """``AI_MODEL`` names no provider pydantic-ai knows."""


@dataclass(frozen=True)
class SelectedModel:
    model: Model
    name: str
    """What ``/health`` reports and metrics are labelled with, e.g. ``offline:workout-coach``."""
    settings: ModelSettings | None
    """Per-run settings (timeouts, retries) for a provider model; ``None`` for the offline coach."""

    @property
    def offline(self) -> bool:
        return self.name == OFFLINE_MODEL_NAME


def offline_selection() -> SelectedModel:
    return SelectedModel(model=offline_model(), name=OFFLINE_MODEL_NAME, settings=None)


def _requested_model(settings: CoachSettings) -> str | None:
    """The model string to use, or ``None`` for the offline coach.

    ``AI_MODEL`` unset means the contract's default Claude model when an Anthropic key is
    configured, and the offline coach otherwise.
    """
    if settings.ai_model is None:
        return CONTRACT_DEFAULT_MODEL if settings.anthropic_api_key else None
    if settings.ai_model.lower() in (OFFLINE_MODEL_SETTING, OFFLINE_MODEL_NAME):
        return None
    return settings.ai_model


def _anthropic_model(model_name: str, settings: CoachSettings) -> Model | None:
    if settings.anthropic_api_key is None:
        return None
    from pydantic_ai.models.anthropic import AnthropicModel
    from pydantic_ai.providers.anthropic import AnthropicProvider

    provider = AnthropicProvider(
        api_key=settings.anthropic_api_key.get_secret_value(),
        base_url=settings.anthropic_base_url,
    )
    return AnthropicModel(model_name, provider=provider)


def select_model(settings: CoachSettings) -> SelectedModel:
    """Build the configured model; fall back to the offline coach when its key is missing.

    Raises :class:`UnknownModelError` for a model string no provider matches (a typo should
    stop the service, not silently change the coach).
    """
    requested = _requested_model(settings)
    if requested is None:
        return offline_selection()
    provider_name, model_name = parse_model_id(requested)
    if provider_name is None:
        raise UnknownModelError(
            f"AI_MODEL={requested!r} is not a model string: use 'provider:model', "
            f"e.g. {CONTRACT_DEFAULT_MODEL!r}, or 'offline'"
        )
    try:
        infer_provider_class(provider_name)
    except ValueError as exc:
        raise UnknownModelError(
            f"AI_MODEL={requested!r}: unknown provider {provider_name!r}"
        ) from exc
    except ImportError as exc:
        logger.warning(
            "AI_MODEL=%s needs a package that is not installed (%s); using the offline coach",
            requested,
            exc,
        )
        return offline_selection()

    model: Model | None
    try:
        if provider_name == "anthropic":
            model = _anthropic_model(model_name, settings)
        else:
            model = infer_model(requested)
    except (UserError, ImportError) as exc:
        logger.warning("AI_MODEL=%s cannot be used (%s); using the offline coach", requested, exc)
        return offline_selection()
    if model is None:
        logger.warning("AI_MODEL=%s needs ANTHROPIC_API_KEY; using the offline coach", requested)
        return offline_selection()
    model_settings = ModelSettings(
        timeout=settings.ai_timeout_seconds,
        request_timeout=settings.ai_timeout_seconds,
        max_retries=settings.ai_max_retries,
    )
    logger.info("AI coach model: %s", requested)
    return SelectedModel(model=model, name=requested, settings=model_settings)

"""The environment the chart gives each process is what that process's settings accept."""

from __future__ import annotations

import pytest

from tests.charts.conftest import VALUE_SETS, Render, container_env, one, pod_spec, with_environment


@pytest.mark.parametrize("name", ["defaults", "production", "operator"])
def test_api_configuration_is_production_safe(render: Render, name: str) -> None:
    from workout_api.settings import Settings

    manifests = render(VALUE_SETS[name])
    for workload in (one(manifests, "Deployment", "api"), one(manifests, "Job", "migrations")):
        container = pod_spec(workload)["containers"][0]
        settings = with_environment(container_env(manifests, container), Settings)
        assert settings.is_production
        assert settings.production_problems() == []
        assert settings.database_url.startswith("postgresql://")
        assert settings.redis_url is not None
        assert settings.redis_url.startswith("redis://")
        assert settings.initial_admin_password


def test_in_chart_database_url_is_composed_from_the_password_secret(render: Render) -> None:
    manifests = render()
    env = pod_spec(one(manifests, "Deployment", "api"))["containers"][0]["env"]
    by_name = {entry["name"]: entry for entry in env}
    assert by_name["WORKOUT_DATABASE_PASSWORD"]["valueFrom"]["secretKeyRef"] == {
        "name": "wt-workout-tracker",
        "key": "postgres-password",
    }
    assert by_name["DATABASE_URL"]["value"] == (
        "postgresql://workout:$(WORKOUT_DATABASE_PASSWORD)@wt-workout-tracker-postgresql:5432/workout_tracker"
    )
    names = [entry["name"] for entry in env]
    assert names.index("WORKOUT_DATABASE_PASSWORD") < names.index("DATABASE_URL")


def test_rate_limits_reach_the_api_settings(render: Render) -> None:
    from workout_api.settings import Settings

    manifests = render(VALUE_SETS["production"])
    settings = with_environment(
        container_env(manifests, pod_spec(one(manifests, "Deployment", "api"))["containers"][0]),
        Settings,
    )
    assert settings.ratelimit_read_user == "240/minute"
    assert settings.ratelimit_write_admin == "300/minute"
    assert settings.cors_origins == ["https://workout.example.com"]


@pytest.mark.parametrize("name", ["defaults", "production"])
def test_coach_configuration(render: Render, name: str) -> None:
    from workout_coach.settings import CoachSettings

    manifests = render(VALUE_SETS[name])
    container = pod_spec(one(manifests, "Deployment", "ai-coach"))["containers"][0]
    settings = with_environment(container_env(manifests, container), CoachSettings)
    assert settings.workout_api_url == "http://wt-workout-tracker-api:8000"
    assert settings.ai_model == "anthropic:claude-3-5-haiku-latest"
    assert settings.redis_url is not None
    assert settings.service_account_username == "workout-service"
    assert settings.service_account_password.get_secret_value().startswith(
        "stand-in-service-account-password"
    )
    has_key = settings.anthropic_api_key is not None
    assert has_key is (name == "production")


def test_worker_configuration(render: Render) -> None:
    from workout_worker.settings import load_settings

    manifests = render()
    container = pod_spec(one(manifests, "Deployment", "worker"))["containers"][0]
    settings = with_environment(container_env(manifests, container), load_settings)
    assert settings.api_client.workout_api_url == "http://wt-workout-tracker-api:8000"
    assert settings.api_client.ai_coach_url == "http://wt-workout-tracker-ai-coach:8001"
    url = settings.redis.server_url()
    assert url.startswith("redis://:stand-in-redis-password")
    assert url.endswith("@wt-workout-tracker-redis:6379")
    assert settings.redis.database == 1
    assert settings.redis.cache_database == 0


def test_service_identity_is_shared_by_api_coach_and_worker(render: Render) -> None:
    manifests = render()

    def password_ref(component: str, variable: str) -> dict[str, str]:
        env = pod_spec(one(manifests, "Deployment", component))["containers"][0]["env"]
        return next(e["valueFrom"]["secretKeyRef"] for e in env if e["name"] == variable)

    api = password_ref("api", "SERVICE_ACCOUNT_PASSWORD")
    assert password_ref("ai-coach", "SERVICE_ACCOUNT_PASSWORD") == api
    assert password_ref("worker", "WORKER_API_CLIENT__SERVICE_PASSWORD") == api


def test_frontend_proxies_to_the_services(render: Render) -> None:
    container = pod_spec(one(render(), "Deployment", "frontend"))["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env == {
        "API_UPSTREAM": "http://wt-workout-tracker-api:8000",
        "AI_COACH_UPSTREAM": "http://wt-workout-tracker-ai-coach:8001",
    }


def test_tracing_settings(render: Render) -> None:
    manifests = render(VALUE_SETS["production"])
    config = one(manifests, "ConfigMap", "api")["data"]
    assert config["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector.observability:4318"
    assert config["OTEL_TRACES_SAMPLER_ARG"] == "0.2"
    assert config["OTEL_SERVICE_NAME"] == "workout-api"
    default_config = one(render(), "ConfigMap", "api")["data"]
    assert default_config["OTEL_TRACES_EXPORTER"] == "none"


@pytest.mark.parametrize("component", ["api", "ai-coach"])
def test_only_the_configured_proxies_are_trusted_to_name_the_client(
    render: Render, component: str
) -> None:
    from uvicorn.middleware.proxy_headers import _TrustedHosts

    def trusted(values: dict[str, object] | None = None) -> str | None:
        manifests = render(values)
        container = pod_spec(one(manifests, "Deployment", component))["containers"][0]
        return container_env(manifests, container).get("FORWARDED_ALLOW_IPS")

    default = trusted()
    assert default is not None
    hosts = _TrustedHosts(default)
    # Every entry is a real network: uvicorn would take a malformed one as a name, silently.
    assert not hosts.trusted_literals
    assert "10.42.0.7" in hosts  # a pod: the ingress controller or the web app's nginx
    assert "203.0.113.5" not in hosts  # a client on the internet
    assert trusted({"trustedProxies": ["10.42.0.0/16", "10.43.0.10"]}) == "10.42.0.0/16,10.43.0.10"
    assert trusted({"trustedProxies": []}) is None  # uvicorn's default: loopback only


def test_docs_can_be_turned_off_for_the_api_and_the_coach(render: Render) -> None:
    from workout_api.settings import Settings
    from workout_coach.settings import CoachSettings

    def settings_of(component: str, kind: type, values: dict[str, object] | None) -> object:
        manifests = render(values)
        container = pod_spec(one(manifests, "Deployment", component))["containers"][0]
        return with_environment(container_env(manifests, container), kind)

    assert settings_of("api", Settings, None).docs_enabled  # type: ignore[attr-defined]
    off = {"api": {"docsEnabled": False}, "aiCoach": {"docsEnabled": False}}
    assert not settings_of("api", Settings, off).docs_enabled  # type: ignore[attr-defined]
    assert not settings_of("ai-coach", CoachSettings, off).docs_enabled  # type: ignore[attr-defined]


def test_the_coach_gets_its_daily_model_answers_and_token_prices(render: Render) -> None:
    from workout_coach.settings import CoachSettings

    values = {"aiCoach": {"dailyModelCalls": 50, "modelPrices": {"input": 3, "output": 15}}}
    manifests = render(values)
    container = pod_spec(one(manifests, "Deployment", "ai-coach"))["containers"][0]
    settings = with_environment(container_env(manifests, container), CoachSettings)
    assert settings.coach_daily_model_calls == 50
    assert (settings.coach_model_input_price, settings.coach_model_output_price) == (3.0, 15.0)

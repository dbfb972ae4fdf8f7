"""Property-based tests of the web API from its own OpenAPI document (schemathesis): whatever a client
sends, the API answers without a server error and as its schema says."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from web_corpus import write_web_corpus

from assistant.api import create_app
from assistant.embeddings import Embedder
from assistant.pipeline import Assistant
from assistant.settings import Settings


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder):  # noqa: ANN201 - schemathesis' type
    root = tmp_path_factory.mktemp("web-schema")
    web_settings = Settings(
        data_dir=root / "data", corpus_dir=write_web_corpus(root / "corpus"), rate_limit_per_minute=0
    )
    bot = Assistant(web_settings, embedder)
    bot.ensure_index()
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(web_settings, bot))


# One test per operation. (schemathesis' own lazy fixture loader does not run on pytest 9, so each test
# builds its Hypothesis test from the operation; the last test keeps this list complete.)
OPERATIONS = [
    ("POST", "/v1/ask"),
    ("POST", "/v1/ask/stream"),
    ("GET", "/v1/sources"),
    ("GET", "/v1/themes"),
    ("POST", "/v1/feedback"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
]


CASES = [(method, path, schemathesis.GenerationMode.POSITIVE) for method, path in OPERATIONS] + [
    (method, path, schemathesis.GenerationMode.NEGATIVE) for method, path in OPERATIONS if method == "POST"
]


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_api_never_fails_and_keeps_to_its_schema(
    api_schema, method: str, path: str, mode: schemathesis.GenerationMode  # noqa: ANN001
) -> None:
    """Valid and invalid requests: never a 5xx; status, headers and bodies as the schema documents them.

    Not checked: that every schema-valid request is accepted. Two rules cannot be said in JSON Schema and
    are refused with 422 on purpose: a question of only spaces, and year_from after year_to."""
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()


def test_every_operation_is_checked(api_schema) -> None:  # noqa: ANN001
    listed = {(result.ok().method.upper(), result.ok().path) for result in api_schema.get_all_operations()}
    assert listed == set(OPERATIONS)

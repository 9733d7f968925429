"""Invalid input never gets a server error (issue #19).

- Schemathesis's negative mode over every API operation, with every role: data that breaks
  the schema (wrong types, out-of-range numbers, missing and extra fields, broken bodies) is
  answered 4xx, never 5xx. tests/test_api_fuzz.py runs the positive mode with every check.
- Hypothesis over every HTML form that takes a POST: each form's fields with arbitrary text
  (NUL bytes, numbers as any language writes them, huge, empty), with unknown fields beside
  them, as an anonymous visitor and as the region's steward: zero 5xx.

Bounded and derandomised (a fixed number of examples per operation, role and form), so the
suite stays reasonable; marked slow. The requests sent and the 5xx seen are written to
test-results/fuzz-invalid-input.json (the session note reports them).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from tests.test_api_fuzz import ROLES, _credentials, _summary, published, wsgi_app  # noqa: F401
from tests.test_no_unpublished_leaks import secrets  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

NEGATIVE_EXAMPLES = 10  # per operation and role
FORM_EXAMPLES = 25  # per form and role
REPORT = Path(__file__).resolve().parents[2] / "test-results" / "fuzz-invalid-input.json"
TALLY: Counter[str] = Counter()


def _record(kind: str, status: int) -> None:
    TALLY[f"{kind} requests"] += 1
    if status >= 500:
        TALLY[f"{kind} 5xx"] += 1
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(dict(TALLY), indent=1))


def _hypothesis(examples: int):  # type: ignore[no-untyped-def]
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_schema_breaking_input_without_a_server_error(
    wsgi_app,  # noqa: F811
    personas,
    secrets,  # noqa: F811
    published,  # noqa: F811
    role,
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    headers, cookies = _credentials(personas[role])
    operations = [result.ok() for result in schema.get_all_operations()]
    failures: list[str] = []
    for operation in operations:
        try:
            strategy = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
        except Exception as exc:  # an operation with nothing to break (no parameters)
            TALLY["operations without negative cases"] += 1
            del exc
            continue

        @_hypothesis(NEGATIVE_EXAMPLES)
        @given(case=strategy)
        def check(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=headers, cookies=cookies)
            _record("api", response.status_code)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} {response.status_code}: {response.text[:300]}"
            )

        try:
            check()
        except Unsatisfiable:  # nothing breaks its schema (a path of any text): no negative case
            TALLY["operations without negative cases"] += 1
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{role} {operation.label}: {_summary(exc)}")
    assert not failures, "\n".join(failures)


# --- the HTML forms ---------------------------------------------------------------------

SAFE_TEXT = st.text(max_size=40)
NASTY_TEXT = st.one_of(
    SAFE_TEXT,
    st.sampled_from(
        ["", " ", "\x00", "1e400", "nan", "-inf", "1,200", "1 200,5", "1\u202f200", "٣٫٥", "0"]
    ),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.from_regex(r"-?[0-9]{1,12}([.,][0-9]{1,6})?", fullmatch=True),
)


def _forms(s) -> dict[str, tuple[str, list[str], bool]]:  # type: ignore[no-untyped-def]
    """Each form's URL, its fields, and whether it takes a file (multipart)."""
    batch, analysis, system = s["batch"], s["analysis"], s["system"]
    return {
        "design": (
            reverse("estimates:design"),
            [
                "lat",
                "lon",
                "loads",
                "building_use",
                "floor_area_m2",
                "heating_peak_kw",
                "cooling_peak_kw",
                "annual_heating_mwh",
                "annual_cooling_mwh",
                "system",
                "spacing_m",
                "max_length_m",
                "setback_m",
                "baseline_heating",
                "baseline_cooling",
                "subsidy",
                "parcel",
            ],
            True,
        ),
        "upload": (reverse("ingest:upload", args=["okinawa"]), ["kind"], True),
        "planning-upload": (
            reverse("planning:upload", args=["okinawa"]),
            ["kind", "code_field", "name_field"],
            True,
        ),
        "rollback": (reverse("ingest:batch-rollback", args=[batch.pk]), [], False),
        "publish": (reverse("ingest:batch-publish", args=[batch.pk]), ["published"], False),
        "refit": (
            reverse("field_tests:refit", args=[analysis.pk]),
            ["window_start_h", "window_end_h"],
            False,
        ),
        "recompute": (reverse("potential_map:recompute", args=["okinawa"]), [], False),
        "series-upload": (
            reverse("monitoring:upload", args=["okinawa", system.code]),
            [],
            True,
        ),
        "token": (reverse("monitoring:token", args=["okinawa", system.code]), [], False),
        "language": ("/i18n/setlang/", ["language", "next"], False),
    }


@pytest.mark.parametrize("role", ["anonymous", "okinawa_steward"])
def test_every_form_answers_arbitrary_fields_without_a_server_error(
    personas,
    secrets,  # noqa: F811
    role,
) -> None:
    client = Client()
    if personas[role] is not None:
        client.force_login(personas[role])
    failures: list[str] = []
    for name, (url, fields, multipart) in _forms(secrets).items():
        try:
            _fuzz_form(client, name, url, fields, multipart)
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{role} {name}: {_summary(exc)}")
    assert not failures, "\n".join(failures)


def _fuzz_form(client: Client, name: str, url: str, fields: list[str], multipart: bool) -> None:
    values = st.fixed_dictionaries(
        {field: NASTY_TEXT for field in fields},
        optional={"extra": NASTY_TEXT, "x\x00y": SAFE_TEXT},
    )
    files = st.one_of(st.none(), st.binary(max_size=2000))

    @_hypothesis(FORM_EXAMPLES)
    @given(data=values, file=files)
    def check(data, file) -> None:  # type: ignore[no-untyped-def]
        body = dict(data)
        if multipart and file is not None:
            body["file"] = SimpleUploadedFile("fuzz.csv", file)
            body["parcel_file"] = SimpleUploadedFile("fuzz.geojson", file)
        response = client.post(url, body)
        _record("forms", response.status_code)
        assert response.status_code < 500, (name, body, response.status_code)

    check()

"""The write side of #11's permission matrix, beside the GET side (test_no_unpublished_leaks):
every URL that changes state (uploads, rollback, publish, recompute, refit, estimates, the
planning and monitoring uploads) and the protected downloads (admin, the PDF report, exports,
the COG, tiles, legend, schema) answered with the expected status for each of the six roles,
with Okinawa's unpublished rows, layer, analysis and batch present. A URL name without a row
here fails the test, as in the GET matrix.

Statuses: 200 answered (a form shown again with its errors is 200 too); 302 a redirect (to the
login page for anonymous callers, to the result after a write); 403 refused to a signed-in
user; 404 not visible to the caller (what a user may not see is not found); 405 wrong method.
Each role starts from the same database (one test per role), and each write's queued task is
never sent (on_commit does not fire in these tests).
"""

from __future__ import annotations

import uuid

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from estimates.models import Estimate
from tests.test_no_unpublished_leaks import (  # noqa: F401  (fixtures)
    SECRET,
    _url_names,
    hidden,
    secrets,
)

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "planner", "installer", "okinawa_steward", "gunma_steward", "admin")
A, P, I, OK, GU, AD = ROLES  # noqa: E741


def _csv(name: str = "levels.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"borehole_code,measured_at,depth_to_water\n,,m\n")


def _requests(s: dict, estimate: Estimate) -> dict[str, list[tuple[str, str, dict] | None]]:  # type: ignore[type-arg]
    """By URL name: (method, url, data) of each request in the matrix; None for a name that
    only reads (its rows are in the GET matrix)."""
    batch, analysis, layer, system = s["batch"], s["analysis"], s["layer"], s["system"]
    person = estimate.created_by_id
    series = SimpleUploadedFile("s.csv", f"observed_at,{SECRET}-t\n,°C\n2024-01-01,5\n".encode())
    reading = {
        "readings": [{"sensor": f"{SECRET}-t", "observed_at": "2024-01-01T00:00Z", "value": 280}],
        # the logger's credential (the token row comes after: a new token voids this one)
        "token": s.setdefault("token", system.new_token()),
    }
    return {
        "set_language": [("post", reverse("set_language"), {"language": "ja", "next": "/"})],
        "api:parcel": None,  # a read by POST: test_api_fuzz calls it with every role
        "api:estimate-create": [("json", reverse("api:estimate-create"), {"lat": 26.2})],
        "ingest:upload": [
            ("post", reverse("ingest:upload", args=["okinawa"]), {"file": _csv(), "kind": "auto"})
        ],
        "potential_map:recompute": [
            ("post", reverse("potential_map:recompute", args=["okinawa"]), {})
        ],
        "ingest:batch-publish": [("post", reverse("ingest:batch-publish", args=[batch.pk]), {})],
        "ingest:batch-rollback": [("post", reverse("ingest:batch-rollback", args=[batch.pk]), {})],
        "field_tests:refit": [("post", reverse("field_tests:refit", args=[analysis.pk]), {})],
        "planning:upload": [
            ("post", reverse("planning:upload", args=["okinawa"]), {"file": _csv("b.csv")})
        ],
        "estimates:report": [("get", reverse("estimates:report", args=[estimate.token]), {})],
        "estimates:result": [("get", reverse("estimates:result", args=[estimate.token]), {})],
        "estimates:status": [("get", reverse("estimates:status", args=[estimate.token]), {})],
        "api:estimate-detail": [("get", reverse("api:estimate-detail", args=[estimate.token]), {})],
        "planning:data": [
            ("get", reverse("planning:data", args=["okinawa", ext]), {})
            for ext in ("csv", "xlsx", "geojson")
        ],
        "api:maplayer-cog": [("get", reverse("api:maplayer-cog", args=[layer.pk]), {})],
        "api:importbatch-errors": [("get", reverse("api:importbatch-errors", args=[batch.pk]), {})],
        "api:maplayer-legend": [("get", reverse("api:maplayer-legend", args=[layer.pk]), {})],
        "tile": [("get", reverse("tile", args=[layer.pk, layer.version, 8, 218, 110]), {})],
        "schema": [("get", reverse("schema"), {})],
        "monitoring:upload": [
            ("post", reverse("monitoring:upload", args=["okinawa", system.code]), {"file": series})
        ],
        "api:monitoring-readings": [
            ("json", reverse("api:monitoring-readings", args=[system.pk]), reading),
            ("token", reverse("api:monitoring-readings", args=[system.pk]), reading),
        ],
        "monitoring:token": [
            ("post", reverse("monitoring:token", args=["okinawa", system.code]), {})
        ],
        "_admin": [
            ("get", reverse("admin:index"), {}),
            ("get", reverse("admin:wells_borehole_changelist"), {}),
            ("get", reverse("admin:ingest_importbatch_changelist"), {}),
        ],
        # accounts (issue 18): the installer, who made the estimate, is the person changed;
        # each write changes nothing (same roles, already active, has a password)
        "accounts:login": [
            ("post", reverse("accounts:login"), {"username": "nobody", "password": "x"})
        ],
        "accounts:password_change": [("post", reverse("accounts:password_change"), {})],
        "accounts:password_reset": [
            ("post", reverse("accounts:password_reset"), {"email": "nobody@example.org"})
        ],
        "accounts:password_reset_confirm": [
            ("post", reverse("accounts:password_reset_confirm", args=["MQ", "no-token"]), {})
        ],
        "accounts:invitation": [
            ("post", reverse("accounts:invitation", args=["MQ", "no-token"]), {})
        ],
        "accounts:sign_up": [("post", reverse("accounts:sign_up"), {"email": "n@example.org"})],
        "accounts:invite": [("post", reverse("accounts:invite"), {"email": "n@example.org"})],
        "accounts:person": [
            ("post", reverse("accounts:person", args=[person]), {"site_roles": ["installer"]})
        ],
        "accounts:person-active": [
            ("post", reverse("accounts:person-active", args=[person]), {"active": "1"})
        ],
        "accounts:person-resend": [("post", reverse("accounts:person-resend", args=[person]), {})],
        "accounts:logout": [("post", reverse("accounts:logout"), {})],  # last: it signs out
    }


@pytest.fixture
def estimate(secrets, personas) -> Estimate:  # noqa: F811
    """An estimate that used unpublished data, made by the installer."""
    return Estimate.objects.create(
        region=secrets["borehole"].region,
        location=Point(127.7, 26.2, srid=4326),
        inputs={},
        inputs_hash=uuid.uuid4().hex,
        uses_unpublished=True,
        created_by=personas["installer"],
    )


def test_every_url_name_has_a_row(secrets, estimate) -> None:  # noqa: F811
    rows = set(_requests(secrets, estimate)) - {"_admin"}
    read_only = {  # no state change, no download of its own: the GET matrix has them
        "health", "api:point", "api:field-test-sites", "api:region-list", "api:region-detail",
        "api:job-list", "api:job-detail", "api:district-list", "api:district-detail",
        "api:borehole-list", "api:borehole-clusters", "api:borehole-detail",
        "api:borehole-record", "api:importbatch-list", "api:importbatch-detail",
        "api:maplayer-list", "api:maplayer-detail", "api:api-root", "swagger-ui", "redoc",
        "home", "about", "help", "javascript-catalog", "ingest:imports", "ingest:batch",
        "ingest:batch-status", "ingest:batch-errors", "ingest:template", "wells:borehole",
        "accounts:people", "accounts:password_change_done", "accounts:password_reset_done",
        "accounts:password_reset_complete",
        "estimates:design", "planning:compare",
    }  # fmt: skip
    read_only |= {"monitoring:systems", "monitoring:system", "api:monitoring-systems"}
    read_only |= {"api:monitoring-series", "api:monitoring-performance"}
    read_only |= {"api:search", "api:region-basemap"}
    read_only |= {"ingest:dashboard", "ingest:dashboard-status"}
    missing = _url_names() - rows - read_only
    assert not missing, f"add these URL names to the write matrix: {sorted(missing)}"


# Expected status of each request, by role, in ROLES order.
# Findings kept as they are, for a decision: a member of the admin group who is not is_staff
# is sent to the admin's login (302); the planning exports answer 400 without a scenario; the
# PDF report of an estimate not yet done is 404 even to its maker.
EXPECTED: dict[str, list[tuple[int, ...]]] = {
    #                       anon planner installer okinawa gunma admin
    "set_language": [(302, 302, 302, 302, 302, 302)],
    "api:importbatch-errors": [(403, 404, 404, 200, 404, 200)],  # a GET: writes nothing
    "api:estimate-create": [(400, 400, 400, 400, 400, 400)],
    "ingest:upload": [(302, 403, 403, 302, 403, 302)],
    "potential_map:recompute": [(302, 403, 403, 302, 403, 302)],
    "ingest:batch-publish": [(302, 404, 404, 302, 404, 302)],
    "ingest:batch-rollback": [(302, 404, 404, 302, 404, 302)],
    "field_tests:refit": [(302, 404, 404, 302, 404, 302)],
    "planning:upload": [(403, 403, 403, 400, 403, 400)],
    "estimates:report": [(404, 404, 404, 404, 404, 404)],
    "estimates:result": [(404, 404, 200, 200, 404, 200)],
    "estimates:status": [(404, 404, 200, 200, 404, 200)],
    "api:estimate-detail": [(404, 404, 200, 200, 404, 200)],
    "planning:data": [(400, 400, 400, 400, 400, 400)] * 3,
    "api:maplayer-cog": [(404, 404, 404, 404, 404, 404)],  # unpublished: never downloaded
    "api:maplayer-legend": [(404, 404, 404, 200, 404, 200)],
    "tile": [(404, 404, 404, 204, 404, 204)],  # 204: an empty tile of the steward's layer
    "schema": [(200, 200, 200, 200, 200, 200)],
    # an unpublished system: not found but by its region's steward and the admin
    "monitoring:upload": [(404, 404, 404, 302, 404, 302)],
    "monitoring:token": [(404, 404, 404, 302, 404, 302)],
    # readings: the system's token is the credential, not the session (no token: 401 to all)
    "api:monitoring-readings": [(401,) * 6, (201,) * 6],
    "_admin": [(302, 302, 302, 302, 302, 302)] * 3,
    # accounts: a failed sign-in is the form again (200) for anyone; the people page is not
    # found but by admins; an invitation without a role is refused (400)
    "accounts:login": [(200, 200, 200, 200, 200, 200)],
    "accounts:password_change": [(302, 200, 200, 200, 200, 200)],
    "accounts:password_reset": [(302, 302, 302, 302, 302, 302)],
    "accounts:password_reset_confirm": [(200, 200, 200, 200, 200, 200)],  # the link is bad
    "accounts:invitation": [(200, 200, 200, 200, 200, 200)],
    "accounts:sign_up": [(404, 404, 404, 404, 404, 404)],  # off unless ACCOUNT_SIGNUP_INSTALLERS
    "accounts:invite": [(302, 404, 404, 404, 404, 400)],
    "accounts:person": [(302, 404, 404, 404, 404, 302)],
    "accounts:person-active": [(302, 404, 404, 404, 404, 302)],
    "accounts:person-resend": [(302, 404, 404, 404, 404, 302)],
    "accounts:logout": [(302, 302, 302, 302, 302, 302)],
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status(client, personas, secrets, estimate, role) -> None:  # noqa: F811
    if personas[role] is not None:
        client.force_login(personas[role])
    seen: dict[str, list[int]] = {}
    for name, requests in _requests(secrets, estimate).items():
        for method, url, data in requests or []:
            if method in ("json", "token"):
                body = {k: v for k, v in data.items() if k != "token"}
                auth = {"HTTP_AUTHORIZATION": f"Token {data['token']}"} if method == "token" else {}
                response = client.post(url, body, content_type="application/json", **auth)
            else:
                response = getattr(client, method)(url, data)
            seen.setdefault(name, []).append(response.status_code)
    expected = {name: [row[ROLES.index(role)] for row in rows] for name, rows in EXPECTED.items()}
    assert seen == expected


# --- the same writes aimed at a region that is not published --------------------------------
# Only its stewards (here alice, okinawa_steward, made its steward too) and admins may write to
# it; to everyone else it does not exist: 404, never 403 (what a user may not see is not found).


def _hidden_writes(h: dict) -> dict[str, tuple[str, str, dict]]:  # type: ignore[type-arg]
    from field_tests.models import FieldTestAnalysis

    code, batch, system = h["region"].code, h["batch"], h["system"]
    analysis = FieldTestAnalysis.objects.get(borehole=h["borehole"], kind="trt")
    series = SimpleUploadedFile("s.csv", b"observed_at,x\n,\xc2\xb0C\n2024-01-01,5\n")
    return {
        "ingest:upload": ("post", reverse("ingest:upload", args=[code]), {"file": _csv()}),
        "potential_map:recompute": ("post", reverse("potential_map:recompute", args=[code]), {}),
        "ingest:batch-publish": ("post", reverse("ingest:batch-publish", args=[batch.pk]), {}),
        "ingest:batch-rollback": ("post", reverse("ingest:batch-rollback", args=[batch.pk]), {}),
        "field_tests:refit": ("post", reverse("field_tests:refit", args=[analysis.pk]), {}),
        "planning:upload": (
            "post", reverse("planning:upload", args=[code]), {"file": _csv("b.csv")}
        ),
        "monitoring:upload": (
            "post", reverse("monitoring:upload", args=[code, system.code]), {"file": series}
        ),
        "monitoring:token": ("post", reverse("monitoring:token", args=[code, system.code]), {}),
    }  # fmt: skip


HIDDEN_EXPECTED = {
    #                         anon planner installer steward gunma admin
    "ingest:upload": (302, 404, 404, 302, 404, 302),
    "potential_map:recompute": (302, 404, 404, 302, 404, 302),
    "ingest:batch-publish": (302, 404, 404, 302, 404, 302),
    "ingest:batch-rollback": (302, 404, 404, 302, 404, 302),
    "field_tests:refit": (302, 404, 404, 302, 404, 302),
    "planning:upload": (404, 404, 404, 400, 404, 400),
    "monitoring:upload": (404, 404, 404, 302, 404, 302),
    "monitoring:token": (404, 404, 404, 302, 404, 302),
}


@pytest.mark.parametrize("role", ROLES)
def test_writes_to_an_unpublished_region_are_404_to_all_but_its_stewards(
    client,
    personas,
    hidden,  # noqa: F811
    role,
) -> None:
    if personas[role] is not None:
        client.force_login(personas[role])
    seen = {}
    for name, (method, url, data) in _hidden_writes(hidden).items():
        seen[name] = getattr(client, method)(url, data).status_code
    expected = {name: row[ROLES.index(role)] for name, row in HIDDEN_EXPECTED.items()}
    assert seen == expected

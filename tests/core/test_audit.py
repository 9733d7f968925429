"""The audit log: each steward or admin action writes exactly one entry naming who, what, where;
a refused action writes none (it is logged); admins alone read the log, and nobody edits it."""

from __future__ import annotations

import logging

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry, District, Job, Region
from field_tests.models import FieldTestAnalysis
from ingest.models import ImportBatch
from tests.factories import RegionFactory, UserFactory, square
from tests.field_tests.test_service import beier_csv
from tests.ingest.conftest import gunma, import_file  # noqa: F401 - the same upload path
from tests.wells import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward(gunma: Region):  # noqa: F811
    user = UserFactory(username="gina")
    user.groups.add(gunma.steward_group)
    return user


def only_entry(**expected: object) -> AuditEntry:
    """The one entry there is, with these values."""
    (entry,) = AuditEntry.objects.all()
    for name, value in expected.items():
        assert getattr(entry, name) == value, name
    return entry


def test_an_upload_is_recorded_with_its_user_region_batch_and_address(client, steward) -> None:
    client.force_login(steward)
    response = client.post(
        reverse("ingest:upload", args=["gunma"]),
        {"file": SimpleUploadedFile("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    entry = only_entry(
        action="upload",
        user=steward,
        username="gina",
        region_code="gunma",
        object_id=str(batch.pk),
        remote_addr="192.0.2.7",
    )
    assert entry.region.code == "gunma"
    assert entry.roles == ["steward:gunma"]
    assert entry.summary["sha256"] == batch.sha256
    assert entry.summary["file"] == "b.csv"


def test_a_refused_upload_writes_no_entry_but_is_logged(client, steward, caplog) -> None:
    client.force_login(steward)
    with caplog.at_level(logging.WARNING, logger="core.audit"):
        response = client.post(
            reverse("ingest:upload", args=["gunma"]), {"file": SimpleUploadedFile("b.csv", b"")}
        )
    assert response.status_code == 400
    assert not AuditEntry.objects.exists()
    assert not ImportBatch.objects.exists()
    assert any("upload refused" in r.getMessage() for r in caplog.records)


def test_rollback_publish_withdraw_and_recompute_each_write_one_entry(
    client,
    steward,
    import_file,  # noqa: F811
) -> None:
    batch = import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    client.force_login(steward)

    client.post(reverse("ingest:batch-publish", args=[batch.pk]), {"published": "1"})
    only_entry(action="publish", user=steward, region_code="gunma", object_id=str(batch.pk))
    assert AuditEntry.objects.get().summary == {"batch": batch.pk, "rows": 1}

    AuditEntry.objects.all().delete()
    client.post(reverse("ingest:batch-publish", args=[batch.pk]), {"published": "0"})
    only_entry(action="withdraw", user=steward, region_code="gunma")

    AuditEntry.objects.all().delete()
    response = client.post(
        reverse("potential_map:recompute", args=["gunma"]), headers={"accept": "application/json"}
    )
    job = Job.objects.get(pk=response.json()["job"])
    only_entry(action="recompute", user=steward, region_code="gunma", object_id=str(job.pk))

    AuditEntry.objects.all().delete()
    assert client.post(reverse("ingest:batch-rollback", args=[batch.pk])).status_code == 302
    only_entry(action="rollback", user=steward, region_code="gunma", object_id=str(batch.pk))

    # Refused: the batch is rolled back already. Nothing happened, so nothing is recorded.
    AuditEntry.objects.all().delete()
    assert client.post(reverse("ingest:batch-rollback", args=[batch.pk])).status_code == 409
    assert client.post(reverse("ingest:batch-publish", args=[batch.pk])).status_code == 409
    assert not AuditEntry.objects.exists()


def test_another_regions_steward_leaves_no_entry(client, gunma, import_file) -> None:  # noqa: F811
    batch = import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    other = UserFactory()
    other.groups.add(RegionFactory(code="okinawa").steward_group)
    client.force_login(other)
    assert client.post(reverse("ingest:batch-rollback", args=[batch.pk])).status_code == 404
    assert client.post(reverse("potential_map:recompute", args=["gunma"])).status_code in (403, 404)
    assert not AuditEntry.objects.exists()


def test_a_refit_is_recorded_with_its_new_version(client, steward, import_file) -> None:  # noqa: F811
    assert import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE)).state == "imported"
    assert import_file("trt.csv", beier_csv()).state == "imported"
    analysis = FieldTestAnalysis.objects.get(kind="trt")
    client.force_login(steward)
    client.post(
        reverse("field_tests:refit", args=[analysis.pk]),
        {"window_start_h": "5", "window_end_h": "51.7"},
    )
    new = FieldTestAnalysis.objects.get(kind="trt", is_current=True)
    assert new.pk != analysis.pk
    entry = only_entry(action="refit", user=steward, region_code="gunma", object_id=str(new.pk))
    assert entry.summary["analysis"] == analysis.pk


def test_district_uploads_are_recorded_when_written_and_not_when_refused(
    client,
    steward,
    gunma,  # noqa: F811
) -> None:
    District.objects.create(region=gunma, code="10210", geometry=square(139.0, 36.4, 0.05))
    client.force_login(steward)
    url = reverse("planning:upload", args=["gunma"])
    bad = b"district_code,use,floor_area_m2,source\n99999,office,10,x\n"
    assert client.post(url, {"file": SimpleUploadedFile("s.csv", bad)}).status_code == 400
    assert not AuditEntry.objects.exists()
    good = b"district_code,use,floor_area_m2,source\n10210,office,12000,city survey\n"
    assert client.post(url, {"file": SimpleUploadedFile("s.csv", good)}).status_code == 200
    entry = only_entry(action="building_stock_upload", user=steward, region_code="gunma")
    assert entry.summary == {"file": "s.csv", "written": 1}


def test_a_change_in_the_admin_is_recorded_from_its_log_entry(gunma) -> None:  # noqa: F811
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    LogEntry.objects.log_actions(
        admin.pk, [gunma], CHANGE, [{"changed": {"fields": ["Published"]}}], single_object=True
    )
    entry = only_entry(action="admin_change", user=admin, region_code="gunma")
    assert entry.roles == ["superuser"]
    assert entry.object_id == str(gunma.pk)
    assert "Published" in entry.summary["change"]


def test_admins_alone_read_the_log_and_nobody_edits_it(client, steward, gunma) -> None:  # noqa: F811
    from core import audit

    entry = audit.record(None, audit.Action.RECOMPUTE, gunma, user=steward)
    changelist = reverse("admin:core_auditentry_changelist")
    detail = reverse("admin:core_auditentry_change", args=[entry.pk])

    steward.is_staff = True  # a steward let into the admin still may not read the log
    steward.save()
    client.force_login(steward)
    assert client.get(changelist).status_code == 403

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(changelist).status_code == 200
    page = client.get(detail)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # read-only
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk])).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()

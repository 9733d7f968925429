"""What the steward sees is true (issue 18 item 6): a batch reads "published" or "not published"
as anonymous users experience it, and publish, withdraw, roll back and recompute each end with a
confirmation message, in the steward's language."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import Region
from ingest.models import ImportBatch
from tests.factories import UserFactory
from tests.wells import files
from wells.models import Borehole, GroundwaterLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward(gunma):  # type: ignore[no-untyped-def]
    user = UserFactory(username="stella")
    user.groups.add(gunma.steward_group)
    return user


@pytest.fixture
def yoshioka(import_file) -> tuple[ImportBatch, ImportBatch]:
    """The borehole (published on import by its file) and its six levels (not published)."""
    boreholes = import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    levels = import_file("l.csv", files.table_csv(files.YOSHIOKA_LEVELS))
    assert (boreholes.state, levels.state) == ("imported", "imported")
    return boreholes, levels


def _publication(client, batch: ImportBatch) -> str:  # type: ignore[no-untyped-def]
    page = client.get(reverse("ingest:batch", args=[batch.pk]))
    assert page.status_code == 200
    return page.context["publication"].text


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_file_that_publishes_its_rows_makes_a_published_batch(yoshioka) -> None:
    boreholes, levels = yoshioka
    assert boreholes.is_published  # its rows say published: true
    assert not levels.is_published  # no published column: the steward decides
    assert Borehole.objects.public().filter(code="YOS-1").exists()
    assert not GroundwaterLevel.objects.public().exists()


def test_the_batch_page_says_what_the_public_sees(client, steward, yoshioka) -> None:
    boreholes, levels = yoshioka
    client.force_login(steward)
    assert _publication(client, boreholes) == "Published: the public sees all of its rows (1)."
    assert _publication(client, levels) == "Not published: the public does not see its rows."
    upload = client.get(reverse("ingest:upload", args=["gunma"])).content.decode()
    assert "Published: the public sees it." in upload
    assert "Not published: the public does not see its rows." in upload


def test_a_published_batch_of_an_unpublished_region_says_the_public_does_not_see_it(
    client, steward, gunma, yoshioka
) -> None:
    boreholes, _levels = yoshioka
    Region.objects.filter(pk=gunma.pk).update(published=False)
    client.force_login(steward)
    assert _publication(client, boreholes) == (
        "Published, but the region is not published, so the public does not see it."
    )
    assert "Published: the public sees" not in client.get(
        reverse("ingest:upload", args=["gunma"])
    ).content.decode("utf-8")


def test_published_levels_of_a_withdrawn_borehole_are_counted_as_not_seen(
    client, steward, yoshioka, django_capture_on_commit_callbacks
) -> None:
    boreholes, levels = yoshioka
    client.force_login(steward)
    publish = reverse("ingest:batch-publish", args=[levels.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(publish, {"published": "1"}).status_code == 302
        assert _publication(client, levels) == "Published: the public sees all of its rows (6)."
        withdraw = reverse("ingest:batch-publish", args=[boreholes.pk])
        assert client.post(withdraw, {"published": "0"}).status_code == 302
    assert _publication(client, levels) == (
        "Published, but the public sees only 0 of its rows (6): the others are not published "
        "themselves, or belong to a borehole or system that is not."
    )
    assert not GroundwaterLevel.objects.public().exists()


def test_publish_and_withdraw_end_with_a_message(
    client, steward, yoshioka, django_capture_on_commit_callbacks
) -> None:
    _boreholes, levels = yoshioka
    client.force_login(steward)
    url = reverse("ingest:batch-publish", args=[levels.pk])
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(url, {"published": "1"})
    assert published.status_code == 302
    assert _messages(published) == [
        f"Batch #{levels.pk} is published (rows: 6). Published: the public sees all of its rows "
        "(6)."
    ]
    page = client.get(published["Location"]).content.decode()  # shown once, on the next page
    assert f"Batch #{levels.pk} is published (rows: 6)." in page
    assert (
        f"Batch #{levels.pk} is published" not in client.get(published["Location"]).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = client.post(url, {"published": "0"})
    assert _messages(withdrawn) == [
        f"Batch #{levels.pk} is withdrawn (rows: 6): they are no longer public. The maps made "
        "with it are hidden from the public until they are recomputed. Not published: the "
        "public does not see its rows."
    ]


def test_a_rollback_ends_with_a_message(
    client, steward, yoshioka, django_capture_on_commit_callbacks
) -> None:
    _boreholes, levels = yoshioka
    client.force_login(steward)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ingest:batch-rollback", args=[levels.pk]))
    assert _messages(response) == [
        f"Batch #{levels.pk} is rolled back: the rows it created are deleted and those it "
        "changed are restored. The maps made with it are recomputed."
    ]
    levels.refresh_from_db()
    assert levels.state == ImportBatch.State.ROLLED_BACK
    assert _publication(client, levels) == "Rolled back: nothing of it is public."


def test_a_recompute_ends_with_a_message(
    client, steward, gunma, django_capture_on_commit_callbacks
) -> None:
    from core.models import Job

    client.force_login(steward)
    response = client.post(reverse("potential_map:recompute", args=["gunma"]))
    job = Job.objects.get(kind="recompute", region=gunma)
    assert _messages(response) == [
        f"The maps of Gunma are being recomputed (job #{job.pk}); the new maps replace the "
        "old ones when the job has finished."
    ]


def test_the_messages_are_in_the_stewards_language(
    client, steward, yoshioka, django_capture_on_commit_callbacks
) -> None:
    from django.utils import translation

    _boreholes, levels = yoshioka
    client.force_login(steward)
    with translation.override("ja"):
        url = reverse("ingest:batch-publish", args=[levels.pk])
    assert url.startswith("/ja/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"published": "1"})
    assert _messages(response) == [
        f"バッチ #{levels.pk} を公開しました（6 行）。 公開済み：すべての行（6 行）が一般の"
        "利用者に見えています。"
    ]


def test_a_series_has_no_publication_step_and_follows_its_system(client, steward, gunma) -> None:
    """A monitoring series' readings carry no flag: the batch page says so, offers no Publish
    button, and the service refuses to publish it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ingest import service
    from monitoring.models import SERIES_KIND

    batch, _job = service.create_batch(gunma, SERIES_KIND, SimpleUploadedFile("s.csv", b"x"), None)
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.IMPORTED)
    batch.refresh_from_db()
    client.force_login(steward)
    assert _publication(client, batch) == (
        "No publication step: the public sees it as soon as it is imported, wherever what it "
        "belongs to (its region, its system) is published."
    )
    upload = client.get(reverse("ingest:upload", args=["gunma"])).content.decode()
    assert reverse("ingest:batch-publish", args=[batch.pk]) not in upload
    with pytest.raises(service.RollbackRefused):
        service.publish_batch(batch)

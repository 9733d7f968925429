"""What every upload shares: the batch an uploaded file became, what it changed, and the
fields every row of survey data carries (region, batch, publication, provenance)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import roles
from core.models import Job, Region
from core.querysets import Action, RegionScopedQuerySet, check_action, stewarded_region_filter
from ingest import registry

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

IMPORTED = "imported"  # ImportBatch.State.IMPORTED, before the class exists


def released_batch_q(batch_lookup: str = "batch") -> models.Q:
    """Rows that came from no batch (made in the admin or by a test) or from a published one.

    A batch is *published* when it is imported and its rows were published (by the steward's
    Publish button, or on import by a file whose `published` column says so) and not withdrawn
    since: state "imported" and `published_at` set. A pending, rejected or rolled-back batch is
    never published, whatever its rows' own flags say. A row that a later batch changed carries
    that batch (the last writer): it is public again once that batch is published.
    """
    return models.Q(**{f"{batch_lookup}__isnull": True}) | models.Q(
        **{f"{batch_lookup}__state": IMPORTED, f"{batch_lookup}__published_at__isnull": False}
    )


def released_record_q(prefix: str = "") -> models.Q:
    """A survey record (the row itself, or the one at `prefix`) released: its own flag and its
    batch. A region's flag is the gate's business (core.querysets)."""
    path = f"{prefix}__" if prefix else ""
    return models.Q(**{f"{path}published": True}) & released_batch_q(f"{path}batch")


class SurveyRecordQuerySet(RegionScopedQuerySet[Any]):
    """Survey rows: public when they, their batch and their region are published."""

    def release_filter(self) -> models.Q:
        return released_record_q()


class ImportBatchQuerySet(models.QuerySet["ImportBatch"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser, action: Action = "view") -> Self:
        """Batches are stewards' business, to read and to change alike: those of the regions
        `user` stewards; all for admins; none for anyone else."""
        check_action(action)
        if roles.is_site_admin(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(stewarded_region_filter(user, "region"))

    def published(self) -> Self:
        """Batches whose rows may be public (see released_batch_q)."""
        return self.filter(state=IMPORTED, published_at__isnull=False)


def _batch_upload_path(batch: ImportBatch, file_name: str) -> str:
    return f"imports/{batch.region.code}/{timezone.now():%Y/%m}/{batch.sha256[:16]}/{file_name}"


class ImportBatch(models.Model):
    """One uploaded file and what became of it: every row it wrote points back here.

    Imports are all-or-nothing: a batch is either `imported` (every row written) or `rejected`
    (nothing written, each problem in `errors`). Rolling back removes the rows it created and
    restores the rows it updated, also all-or-nothing.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        VALIDATING = "validating", _("validating")
        REJECTED = "rejected", _("rejected")
        IMPORTED = "imported", _("imported")
        ROLLED_BACK = "rolled_back", _("rolled back")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="import_batches", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=40, help_text=_("Survey kind of the file."))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    file = models.FileField(_("file"), upload_to=_batch_upload_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size_bytes = models.PositiveBigIntegerField(_("size"), help_text=_("File size, bytes."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("uploaded by"),
    )
    job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("job")
    )
    row_count = models.PositiveIntegerField(_("rows read"), default=0)
    created_count = models.PositiveIntegerField(_("rows created"), default=0)
    updated_count = models.PositiveIntegerField(_("rows updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows unchanged"), default=0)
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        help_text=_("What the steward chose besides the kind (a district layer's code field)."),
    )
    # The first ingest.errors.KEPT of each in full; how many in all; the rest counted.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors in all"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings in all"), default=0)
    omitted = models.JSONField(
        _("errors not kept"),
        default=dict,
        blank=True,
        help_text=_("Past the first 1,000: counts by field and message (errors, warnings)."),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("When its rows were last published.")
    )
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rolled back by"),
    )

    objects = ImportBatchQuerySet.as_manager()

    @property
    def total_errors(self) -> int:
        return max(self.error_count, len(self.errors))

    @property
    def total_warnings(self) -> int:
        return max(self.warning_count, len(self.warnings))

    def keep_errors(self, errors: list[Any], warnings: list[Any]) -> None:
        """Store RowErrors within bounds (ingest.errors.bounded), sorted as the file reads."""
        from ingest.errors import bounded, sorted_errors

        self.errors, self.error_count, omitted_errors = bounded(sorted_errors(errors))
        self.warnings, self.warning_count, omitted_warnings = bounded(sorted_errors(warnings))
        self.omitted = {"errors": omitted_errors, "warnings": omitted_warnings}

    class Meta:
        # The table keeps the name it had in core (moved with SeparateDatabaseAndState).
        db_table = "core_importbatch"
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]
        indexes = [
            # The steward's history page lists a region's batches, newest first.
            models.Index(fields=["region", "-created_at"], name="batch_region_created"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind}, {self.state})"

    @property
    def kind_label(self) -> str:
        """The survey kind in the active language ("Boreholes", "ボーリング孔"); the stored
        code where no app registers that kind any more."""
        kind = registry.get(self.kind)
        return gettext(kind.label) if kind is not None else self.kind

    @property
    def is_published(self) -> bool:
        """The batch's own publication (released_batch_q); the region may still hide it."""
        return self.state == self.State.IMPORTED and self.published_at is not None


class BatchChange(models.Model):
    """What an import did to one model: the rows it created (ids, in one row), or one row it
    updated or deleted with the values it replaced. Rollback reads these."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        DELETED = "deleted", _("deleted")

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="changes", verbose_name=_("batch")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("The row updated or deleted.")
    )
    object_ids = ArrayField(
        models.PositiveBigIntegerField(),
        null=True,
        blank=True,
        help_text=_("The rows created (one change per batch and model)."),
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    previous = models.JSONField(
        _("previous values"), null=True, blank=True, help_text=_("Field values before an update.")
    )

    class Meta:
        db_table = "core_batchchange"  # the name it had in core
        verbose_name = _("batch change")
        indexes = [
            # Rollback checks whether a later batch touched the same rows.
            models.Index(fields=["content_type", "object_id"], name="batchchange_object"),
        ]


class SurveyRecord(models.Model):
    """Fields every row of survey data carries: region, batch, publication, provenance."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
        help_text=_("The upload that last wrote this row."),
    )
    published = models.BooleanField(_("published"), default=False)
    is_synthetic = models.BooleanField(
        _("synthetic"),
        default=False,
        help_text=_("Generated for a fixture, not measured. Never shown as measured data."),
    )
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the numbers come from.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SurveyRecordQuerySet.as_manager()  # reads go through .visible_to(user)

    class Meta:
        abstract = True

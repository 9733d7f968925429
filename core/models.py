"""Regions, the long-running jobs that work on them, and the groups that hold roles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import roles
from core.lib.crs import metric_crs_problem
from core.querysets import Action, RegionRowQuerySet, check_action, stewarded_region_filter

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class RegionQuerySet(models.QuerySet["Region"]):
    """Read and write rules for regions: the gate of core.querysets, for the region itself."""

    def visible_to(self, user: AbstractBaseUser | AnonymousUser, action: Action = "view") -> Self:
        """action="view": published regions, plus those `user` stewards; action="steward":
        those `user` stewards. Every region for admins."""
        check_action(action)
        if action == "steward":
            return self.stewarded_by(user)
        if roles.is_site_admin(user):
            return self
        if not user.is_authenticated:
            return self.filter(published=True)
        return self.filter(Q(published=True) | stewarded_region_filter(user, ""))

    def stewarded_by(self, user: AbstractBaseUser | AnonymousUser) -> Self:
        """Regions whose data `user` may import, recompute and publish (the implementation of
        visible_to(user, action="steward"); call that)."""
        if roles.is_site_admin(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(stewarded_region_filter(user, ""))


class Region(models.Model):
    """A mapped region (Okinawa, Gunma, Tajikistan, ...): its outline and map settings."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_tg = models.CharField(_("name (Tajik)"), max_length=200, blank=True)
    boundary = models.MultiPolygonField(
        _("boundary"), srid=4326, help_text=_("Outline in WGS84 longitude/latitude (EPSG:4326).")
    )
    raster_crs_epsg = models.PositiveIntegerField(
        _("raster CRS (EPSG)"),
        help_text=_("EPSG code of the projected CRS in metres the region's rasters use."),
    )
    raster_resolution_m = models.FloatField(
        _("raster resolution"), default=100.0, help_text=_("Cell size of the map grid, m.")
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=LANGUAGE_CHOICES, default="en"
    )
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("ISO 4217 code, e.g. JPY or TJS.")
    )
    map_parameters = models.JSONField(
        _("map parameters"),
        default=dict,
        blank=True,
        help_text=_(
            "Potential-map parameters that differ by climate (SI: season lengths in s, fluid "
            "temperature limits in K, usable open-loop ΔT in K), each with its source."
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        help_text=_("IANA name, e.g. Asia/Tokyo; times in uploaded files without one are local."),
    )
    leading_layer = models.CharField(
        _("leading layer"),
        max_length=30,
        default="closed_loop_heating",
        help_text=_(
            "The map layer kind shown first for this region, e.g. closed_loop_cooling for a "
            "cooling-led climate."
        ),
    )
    area_m2 = models.FloatField(
        _("area"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Area of the boundary on the WGS84 ellipsoid, m²; computed by a job."),
    )
    published = models.BooleanField(_("published"), default=False)
    steward_group = models.OneToOneField(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="stewarded_region",
        verbose_name=_("steward group"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(raster_resolution_m__gt=0), name="region_resolution_gt_0"
            ),
            models.CheckConstraint(condition=Q(area_m2__gte=0), name="region_area_gte_0"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to English."""
        language = (get_language() or "en").split("-")[0]
        return getattr(self, f"name_{language}", "") or self.name_en

    def clean(self) -> None:
        problem = metric_crs_problem(self.raster_crs_epsg)
        if problem:
            raise ValidationError({"raster_crs_epsg": problem})
        if self.boundary is not None and not self.boundary.valid:
            raise ValidationError({"boundary": _("The boundary is not a valid geometry.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.steward_group_id is None:
            self.steward_group, _created = Group.objects.get_or_create(
                name=roles.steward_group_name(self.code)
            )
        super().save(*args, **kwargs)


class District(models.Model):
    """A municipality or first-level unit of a region: for district comparisons and for rules
    that apply by municipality (e.g. Gunma's groundwater notification area)."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="districts", verbose_name=_("region")
    )
    code = models.CharField(
        _("code"), max_length=20, help_text=_("e.g. the JIS code N03_007, or ISO 3166-2")
    )
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_tg = models.CharField(_("name (Tajik)"), max_length=200, blank=True)
    name_latin = models.CharField(
        _("name (Latin transliteration)"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Ōta or Viloyati Sughd: what a reader of Latin script may type."),
    )
    names_source = models.CharField(
        _("source of the names"),
        max_length=300,
        blank=True,
        help_text=_("Which names are official and which transliterated, and how."),
    )
    geometry = models.MultiPolygonField(_("geometry"), srid=4326)
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, help_text=_("Residents; with its source below.")
    )
    population_source = models.CharField(_("population source"), max_length=300, blank=True)

    objects = RegionRowQuerySet.as_manager()  # as visible as its region

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["region", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="district_code_per_region"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "en").split("-")[0]
        return getattr(self, f"name_{language}", "") or self.name_en or self.name_ja or self.code


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser, action: Action = "view") -> Self:
        """action="view": jobs `user` started, and every job of the regions they steward;
        action="steward": the jobs of those regions. All for admins; none for anonymous."""
        check_action(action)
        if roles.is_site_admin(user):
            return self
        if not user.is_authenticated:
            return self.none()
        stewarded = stewarded_region_filter(user, "region")
        if action == "steward":
            return self.filter(stewarded)
        return self.filter(Q(created_by=user) | stewarded)


class Job(models.Model):
    """A long piece of work (import, recomputation, ...) run by a Celery worker.

    The row is the source of truth for its state and progress; the broker's result store is
    never read. Services report progress with `set_progress`, which writes at once.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=60)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED)
    progress = models.FloatField(_("progress"), default=0.0, help_text=_("Fraction done, 0–1."))
    message = models.TextField(_("message"), blank=True)
    log = models.TextField(_("log"), blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("region"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("created by"),
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("works on")
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # The row is its own outbox (core.jobs.dispatch): what to send, when, and whether it went.
    # A message lost with the broker, or never published because the broker was down, is sent
    # again by the beat (core.jobs.resend_jobs); run_job's claim makes a duplicate harmless.
    task_name = models.CharField(_("task"), max_length=200, blank=True)
    task_args = models.JSONField(_("task arguments"), default=list, blank=True)
    task_queue = models.CharField(_("queue"), max_length=40, blank=True)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    dispatch_attempts = models.PositiveIntegerField(_("dispatch attempts"), default=0)
    parts_total = models.PositiveIntegerField(
        _("parts"), default=0, help_text=_("Tasks the job was cut into (0: one task).")
    )
    parts_done = models.PositiveIntegerField(_("parts done"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1), name="job_progress_0_1"
            ),
        ]
        indexes = [
            # fail_stale_jobs() scans running jobs by their last update.
            models.Index(
                fields=["updated_at"], condition=Q(state="running"), name="job_running_updated"
            ),
            # resend_jobs() scans queued jobs by when they were last sent.
            models.Index(fields=["sent_at"], condition=Q(state="queued"), name="job_queued_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    def set_progress(self, progress: float, message: str = "") -> None:
        """Record progress (0–1) and a message at once, outside any transaction of the caller.

        `message` is an English msgid (gettext_noop), translated when shown. The log keeps
        every step, so a reader can see how the job moved.
        """
        progress = min(max(float(progress), 0.0), 1.0)
        now = timezone.now()
        line = f"{now.isoformat(timespec='seconds')} {progress:.3f} {message}\n"
        Job.objects.filter(pk=self.pk).update(
            progress=progress, message=message, updated_at=now, log=Concat(F("log"), Value(line))
        )
        self.progress, self.message, self.updated_at = progress, message, now

    @property
    def waiting_for_worker(self) -> bool:
        """Queued and its message not (yet) with the broker: it runs when the broker is back."""
        return self.state == self.State.QUEUED and bool(self.task_name) and self.sent_at is None

    def progress_steps(self) -> list[float]:
        """The progress values recorded in the log, in order."""
        return [float(line.split(" ", 2)[1]) for line in self.log.splitlines() if line.strip()]


class AuditEntry(models.Model):
    """One steward or admin action, written by the code that does it, in its transaction.

    Read-only: nothing edits or deletes these rows but the database owner. User, role and
    region are kept as text too, so an entry still says who and where after they are deleted.
    """

    class Action(models.TextChoices):
        UPLOAD = "upload", _("survey file uploaded")
        ROLLBACK = "rollback", _("batch rolled back")
        PUBLISH = "publish", _("batch published")
        WITHDRAW = "withdraw", _("batch withdrawn")
        RECOMPUTE = "recompute", _("maps recomputed")
        REFIT = "refit", _("field test refitted")
        DISTRICT_UPLOAD = "district_upload", _("district layer uploaded")
        BUILDING_STOCK_UPLOAD = "building_stock_upload", _("building stock uploaded")
        ADMIN_ADD = "admin_add", _("added in the admin")
        ADMIN_CHANGE = "admin_change", _("changed in the admin")
        ADMIN_DELETE = "admin_delete", _("deleted in the admin")
        INVITE = "invite", _("person invited")
        ROLES_CHANGE = "roles_change", _("roles changed")
        DEACTIVATE = "deactivate", _("person deactivated")
        REACTIVATE = "reactivate", _("person reactivated")
        SIGN_UP = "sign_up", _("installer signed up")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    roles = models.JSONField(
        _("roles"), default=list, blank=True, help_text=_("The user's groups at the time.")
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    region_code = models.CharField(_("region code"), max_length=40, blank=True)
    object_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    remote_addr = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "-created_at"], name="audit_region_created")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username or '-'} {self.action}"

"""A design estimate: the inputs an installer gave, the result, and what it was made from.

Reached by an unguessable token (an installer hands the report to a client). Identical
inputs on the same map versions reuse the stored result. An estimate made from data the
public may not see is shown only to those who may see that data.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.querysets import Action, RegionScopedQuerySet, check_action
from core.roles import is_site_admin

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

METHOD_VERSION = "2026.11-1"


class EstimateQuerySet(RegionScopedQuerySet["Estimate"]):
    """Anyone with the token may open an estimate made from public data of a published region;
    one that used anything unpublished opens only for its maker, the region's stewards and
    admins (nothing unpublished leaks by link)."""

    def release_filter(self) -> Q:
        return Q(uses_unpublished=False)

    def visible_to(self, user: AbstractBaseUser | AnonymousUser, action: Action = "view") -> Self:
        check_action(action)
        visible = super().visible_to(user, action)
        if action == "view" and user.is_authenticated and not is_site_admin(user):
            return visible | self.filter(created_by=user)
        return visible


class Estimate(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")  # the inputs have no answer; the reason is stored
        FAILED = "failed", _("failed")

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        "core.Region", on_delete=models.CASCADE, related_name="estimates", verbose_name=_("region")
    )
    location = models.PointField(_("location"), srid=4326)
    parcel = models.MultiPolygonField(_("parcel"), srid=4326, null=True, blank=True)
    inputs = models.JSONField(_("inputs"), help_text=_("As given, SI units."))
    inputs_hash = models.CharField(
        _("inputs hash"),
        max_length=64,
        db_index=True,
        help_text=_("Inputs, location, parcel and the versions of the map layers used."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    result = models.JSONField(_("result"), default=dict, blank=True, help_text=_("SI units."))
    message = models.TextField(_("message"), blank=True)
    uses_unpublished = models.BooleanField(_("uses unpublished data"), default=False)
    method_version = models.CharField(_("method version"), max_length=20, default=METHOD_VERSION)
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("job")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    language = models.CharField(_("language"), max_length=8, default="en")

    objects = EstimateQuerySet.as_manager()

    class Meta:
        verbose_name = _("design estimate")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.region.code} {self.token}"

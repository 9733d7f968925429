"""The one read-permission rule for region data, shared by every public model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.db import models

from core.roles import is_site_admin

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

_M = TypeVar("_M", bound=models.Model)


class RegionScopedQuerySet(models.QuerySet[_M]):
    """QuerySet of rows that belong to a region and carry a `published` flag."""

    region_lookup = "region"

    def published_filter(self) -> models.Q:
        """What makes a row public; a derived row (an analysis) follows its sources."""
        return models.Q(published=True)

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> Self:
        """Rows `user` may read: published ones, plus all rows of the regions they steward.

        Views, the API, tiles, exports, reports and the point query all start here.
        """
        if is_site_admin(user):
            return self
        published = self.published_filter()
        if not user.is_authenticated:
            return self.filter(published)
        stewarded = models.Q(**{f"{self.region_lookup}__steward_group__user": user})
        return self.filter(published | stewarded).distinct()

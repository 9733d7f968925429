"""The one permission gate for region data: `visible_to(user, action)`, reads and writes alike.

NetBox's `RestrictedQuerySet.restrict(user, action)` in our words. Every view, API endpoint,
tile, export, report and the point query starts from `Model.objects.visible_to(user)`; every
write starts from `visible_to(user, action="steward")`. No view writes its own check.

- action="view": what `user` may read. Admins read everything; a region's stewards read every
  row of their regions; anyone else reads the *public* rows.
- action="steward": what `user` may change (import, publish, withdraw, roll back, recompute,
  refit): every row of the regions they steward; every row for admins; nothing for anyone else.

A row is public only when it, its batch (if it has one), its parent (a borehole for what was
measured in it, a system for its sensors) and its region are all published. Each queryset says
what its row, batch and parent need in `release_filter()`; the region is added here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Self, TypeVar, get_args

from django.db import models

from core.roles import is_site_admin

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

_M = TypeVar("_M", bound=models.Model)
Action = Literal["view", "steward"]
ACTIONS: tuple[str, ...] = get_args(Action)


def check_action(action: str) -> None:
    """A misspelt action must fail loudly, never fall back to a wider or narrower rule."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")


def stewarded_region_filter(user: AbstractBaseUser, region_lookup: str) -> models.Q:
    """Rows whose region (reached by `region_lookup`; "" for a region itself) `user` stewards.

    A subquery on the user's groups rather than a join through them: no duplicate rows, so no
    DISTINCT, and aggregates over the result (the borehole clusters) stay right.
    """
    groups = user.groups.all()  # type: ignore[attr-defined]
    prefix = f"{region_lookup}__" if region_lookup else ""
    return models.Q(**{f"{prefix}steward_group__in": groups})


class RegionScopedQuerySet(models.QuerySet[_M]):
    """QuerySet of rows that belong to a region (directly, or through `region_lookup`)."""

    region_lookup = "region"

    def release_filter(self) -> models.Q:
        """What the row itself, its batch and its parent need to be public, the region aside.

        The maps read inputs with this (`released()`): a map of a region not yet published is
        made of what will be public once the region is.
        """
        return models.Q(published=True)

    def public_filter(self) -> models.Q:
        """Released, and its region published: what anonymous users see."""
        return self.release_filter() & models.Q(**{f"{self.region_lookup}__published": True})

    def released(self) -> Self:
        return self.filter(self.release_filter())

    def public(self) -> Self:
        return self.filter(self.public_filter())

    def visible_to(self, user: AbstractBaseUser | AnonymousUser, action: Action = "view") -> Self:
        """Rows `user` may read (action="view") or change (action="steward")."""
        check_action(action)
        if is_site_admin(user):
            return self
        if not user.is_authenticated:
            return self.none() if action == "steward" else self.public()
        stewarded = stewarded_region_filter(user, self.region_lookup)  # type: ignore[arg-type]
        if action == "steward":
            return self.filter(stewarded)
        return self.filter(self.public_filter() | stewarded)


class RegionRowQuerySet(RegionScopedQuerySet[_M]):
    """Rows with no publication of their own (a district, a building-stock row): public
    wherever their region is."""

    def release_filter(self) -> models.Q:
        return models.Q()

"""Roles as Django groups. Least privilege: each role may do what its users need and no more.

- public (anonymous): published data only;
- planner: signed in; browses and compares published maps, runs district scenarios;
- installer: signed in; makes and prints design estimates;
- data steward of a region: uploads, rolls back, recomputes and publishes that region's data;
  one group per region, ``steward:<region code>``, created with the region;
- admin: everything, in every region (the ``admin`` group, or a Django superuser).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

PLANNER = "planner"
INSTALLER = "installer"
ADMIN = "admin"
SITE_ROLES = (PLANNER, INSTALLER, ADMIN)
STEWARD_GROUP_PREFIX = "steward:"


def steward_group_name(region_code: str) -> str:
    """Name of the group whose members steward the region `region_code`."""
    return f"{STEWARD_GROUP_PREFIX}{region_code}"


def is_site_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A superuser, or a member of the admin group: may read and write every region."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser) or user.groups.filter(name=ADMIN).exists()


def has_role(user: AbstractBaseUser | AnonymousUser, role: str) -> bool:
    """Whether `user` holds the site-wide `role` (admins hold every role)."""
    if not user.is_authenticated:
        return False
    return is_site_admin(user) or user.groups.filter(name=role).exists()

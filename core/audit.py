"""The audit log of steward and admin actions: `record()` writes one AuditEntry.

Callers record inside the transaction of the action, so an action undone leaves no entry and an
entry never names an action that did not happen. A refused upload writes nothing to the
database (the importer's promise); it is logged to the `core.audit` logger instead.
Changes made in the Django admin are recorded from its own LogEntry rows (see `from_log_entry`).
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from rest_framework.throttling import BaseThrottle

from core.models import AuditEntry, Region

logger = logging.getLogger(__name__)
Action = AuditEntry.Action


def client_address(request: Any) -> str | None:
    """The client's address as the rate limits see it (REMOTE_ADDR, or behind NUM_PROXIES)."""
    if request is None:
        return None
    ident = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(ident))
    except ValueError:
        return None


def _roles(user: Any) -> list[str]:
    if user is None or not user.is_authenticated:
        return []
    names = sorted(user.groups.values_list("name", flat=True))
    return ["superuser", *names] if user.is_superuser else names


def record(
    request: Any,
    action: str,
    region: Region | None = None,
    target: models.Model | None = None,
    summary: dict[str, Any] | None = None,
    user: Any = None,
) -> AuditEntry:
    """Write one entry: who (`request.user`, or `user`), from where, did `action` to what."""
    if user is None and request is not None:
        user = request.user
    user = user if user is not None and user.is_authenticated else None
    if region is None and isinstance(target, Region):
        region = target
    entry = AuditEntry.objects.create(
        user=user,
        username=user.get_username() if user else "",
        roles=_roles(user),
        action=action,
        region=region,
        region_code=region.code if region else "",
        object_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        summary=summary or {},
        remote_addr=client_address(request),
    )
    logger.info("audit %s by %s in %s: %s", action, entry.username, entry.region_code, summary)
    return entry


def refused(request: Any, action: str, region: Region | None, summary: dict[str, Any]) -> None:
    """A refused action: logged, never written (a refusal leaves the database unchanged)."""
    logger.warning(
        "audit %s refused for %s in %s from %s: %s",
        action,
        getattr(request.user, "username", ""),
        region.code if region else "",
        client_address(request),
        summary,
    )


_ADMIN_ACTIONS = {
    ADDITION: Action.ADMIN_ADD,
    CHANGE: Action.ADMIN_CHANGE,
    DELETION: Action.ADMIN_DELETE,
}


def from_log_entry(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """post_save of the admin's LogEntry (written in the admin's transaction): mirror it."""
    if not created or kwargs.get("raw"):
        return
    region = None
    if instance.content_type_id is not None:
        model = instance.content_type.model_class()
        if model is Region:
            region = Region.objects.filter(pk=instance.object_id).first()
        elif model is not None and hasattr(model, "region_id"):
            row = model._default_manager.filter(pk=instance.object_id).only("region").first()
            region = getattr(row, "region", None)
    user = instance.user
    AuditEntry.objects.create(
        created_at=instance.action_time,
        user=user,
        username=user.get_username() if user else "",
        roles=_roles(user),
        action=_ADMIN_ACTIONS.get(instance.action_flag, Action.ADMIN_CHANGE),
        region=region,
        region_code=region.code if region else "",
        object_type_id=instance.content_type_id,
        object_id=str(instance.object_id or "")[:64],
        object_repr=instance.object_repr[:200],
        summary={"change": instance.get_change_message()},
    )

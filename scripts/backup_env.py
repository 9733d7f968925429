"""Print, as shell assignments, what a backup or restore works on: the database connection
(PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) and the COG and media folders.

DATABASE_URL, LAYER_ROOT and MEDIA_ROOT in the environment win; otherwise the Django settings
(DJANGO_SETTINGS_MODULE, dev by default) say. Run by scripts/backup.sh and scripts/restore.sh.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urlsplit(url)
        db = {
            "HOST": parts.hostname or "127.0.0.1",
            "PORT": parts.port or 5432,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "NAME": parts.path.lstrip("/"),
        }
    else:
        import django
        from django.conf import settings

        django.setup()
        db = settings.DATABASES["default"]
    layer_root = os.environ.get("LAYER_ROOT")
    media_root = os.environ.get("MEDIA_ROOT")
    if not (layer_root and media_root):
        import django
        from django.conf import settings

        django.setup()
        layer_root = layer_root or str(settings.LAYER_ROOT)
        media_root = media_root or str(settings.MEDIA_ROOT)
    values = {
        "PGHOST": db.get("HOST") or "127.0.0.1",
        "PGPORT": db.get("PORT") or 5432,
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db["NAME"],
        "LAYER_ROOT": layer_root,
        "MEDIA_ROOT": media_root,
    }
    for name, value in values.items():
        print(f"{name}={shlex.quote(str(value))}")


if __name__ == "__main__":
    main()

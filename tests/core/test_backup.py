"""`make backup` / `make restore`: a region with its maps round-trips exactly (every table's rows
and every COG's bytes), and a backup that does not match its manifest is not restored."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from ingest.models import ImportBatch
from potential_map.models import MapLayer
from tests.regions import region_with_maps

ROOT = Path(__file__).resolve().parent.parent.parent
CHECKSUM_SQL = (
    "SELECT count(*), md5(coalesce(string_agg(t::text, '' ORDER BY t::text), '')) FROM {} t"
)


def _database_url(name: str) -> str:
    db = connection.settings_dict
    return (
        f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{name}"
    )


def _connect(name: str) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=name,
        autocommit=True,
    )


def _fingerprint(name: str) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every row's text, per table of the public schema."""
    with _connect(name) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'spatial_ref_sys' ORDER BY tablename"
            )
        ]
        return {t: db.execute(CHECKSUM_SQL.format(f'"{t}"')).fetchone() for t in tables}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _script(name: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [str(ROOT / "scripts" / name), *args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _drop(name: str) -> None:
    with _connect("postgres") as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_region_round_trips_through_backup_and_restore(tmp_path, settings) -> None:
    settings.LAYER_ROOT = tmp_path / "layers"
    settings.MEDIA_ROOT = tmp_path / "media"
    region_with_maps("gunma", 5000.0)
    layers = list(MapLayer.objects.filter(region__code="gunma", is_current=True))
    assert layers, "the region has maps to back up"
    assert ImportBatch.objects.filter(region__code="gunma").exists()
    source = connection.settings_dict["NAME"]
    scratch = f"{source}_restore"
    places = {
        "DATABASE_URL": _database_url(source),
        "LAYER_ROOT": str(settings.LAYER_ROOT),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    before = _fingerprint(source)
    assert before["core_region"][0] == 1
    assert before["potential_map_maplayer"][0] == MapLayer.objects.count()

    backup = _script("backup.sh", BACKUP_DIR=str(tmp_path / "backups"), **places)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert {p.name for p in folder.iterdir()} == {
        "MANIFEST.sha256",
        "backup.txt",
        "database.dump",
        "layers.tar",
        "media.tar",
    }

    _drop(scratch)
    try:
        restore = _script(
            "restore.sh",
            str(folder),
            RESTORE_DATABASE=scratch,
            RESTORE_LAYER_ROOT=str(tmp_path / "restored-layers"),
            RESTORE_MEDIA_ROOT=str(tmp_path / "restored-media"),
            **places,
        )
        assert restore.returncode == 0, restore.stderr
        assert _fingerprint(scratch) == before
    finally:
        _drop(scratch)
    for layer in layers:
        relative = Path(layer.cog_path).relative_to(settings.LAYER_ROOT)
        restored = tmp_path / "restored-layers" / relative
        assert _sha256(restored) == _sha256(Path(layer.cog_path)), relative
    for batch in ImportBatch.objects.filter(region__code="gunma"):
        restored = tmp_path / "restored-media" / batch.file.name
        assert _sha256(restored) == _sha256(Path(batch.file.path)), batch.file.name

    # A backup changed after it was made is refused before anything is restored.
    dump = folder / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    refused = _script(
        "restore.sh",
        str(folder),
        RESTORE_DATABASE=scratch,
        RESTORE_LAYER_ROOT=str(tmp_path / "never"),
        RESTORE_MEDIA_ROOT=str(tmp_path / "never"),
        **places,
    )
    assert refused.returncode != 0
    assert "does not match its manifest" in refused.stderr
    assert not (tmp_path / "never").exists()
    with _connect("postgres") as db:
        assert not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [scratch]).fetchone()

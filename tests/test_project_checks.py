"""The project's own checks run as part of the suite: lint, format, layering, migrations, deploy."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # The browser stage allows async-unsafe ORM calls in its own process only.
    environment = {k: v for k, v in (env or os.environ).items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )


def test_ruff_finds_nothing() -> None:
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted_by_ruff() -> None:
    result = run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_linter_keeps_the_domain_free_of_django_and_core_free_of_apps() -> None:
    result = run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout
    assert "ingest imports no domain app KEPT" in result.stdout
    assert "Layers: a lower app never imports a higher one KEPT" in result.stdout


def test_every_domain_package_passes_mypy_strict() -> None:
    """[tool.mypy] in pyproject.toml lists the packages: each app's domain/ and core.lib."""
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_django_upgrade_finds_nothing_to_rewrite_for_django_5_2() -> None:
    skipped = {".venv", "var", "node_modules", "test-results", ".git"}
    folders = [p for p in ROOT.iterdir() if p.is_dir() and p.name not in skipped]
    files = sorted(str(f.relative_to(ROOT)) for d in folders for f in d.rglob("*.py"))
    files += [str(f.relative_to(ROOT)) for f in ROOT.glob("*.py")]
    result = run(str(BIN / "django-upgrade"), "--target-version", "5.2", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_runs_the_same_checks_as_the_suite() -> None:
    """A developer's commit meets what the suite asks: ruff (check and format), import-linter,
    django-upgrade and mypy, from the project's own .venv (the versions uv.lock pins)."""
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    for entry in ("ruff check", "ruff format", "lint-imports", "django-upgrade", "mypy"):
        assert entry in config, entry
    # pre-commit names files one by one: without --force-exclude ruff would reformat migrations
    assert config.count("--force-exclude") == 2
    result = run(str(BIN / "pre-commit"), "validate-config", ".pre-commit-config.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_every_model_change_has_its_migration() -> None:
    result = run(sys.executable, "manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_is_clean_with_the_production_settings() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "atlas.example.org",
        "DATABASE_URL": "postgis://groundheat:groundheat@127.0.0.1:5432/groundheat",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    result = run(
        sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = run(sys.executable, "manage.py", "check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr

"""Backup and restore: the database and every uploaded file, with a manifest.

A backup is a folder holding
- `database.dump` (PostgreSQL custom format, from pg_dump) or
  `database.sqlite3` (SQLite's online backup API: safe while the site runs),
- `media.tar.gz` (MEDIA_ROOT, which includes the private document store),
- `manifest.json`: row counts per table and a SHA-256 of every file,
so a restore can prove it brought everything back.

On S3 storage, files live in the bucket: back that up with the bucket's own
versioning or replication (docs/operations.md); the manifest still counts rows.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone


class BackupError(Exception):
    pass


def _tables():
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names.add(model._meta.db_table)
    return sorted(names)


def _pg_url(db):
    user = quote(db.get("USER") or "")
    password = quote(db.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or "5432"
    return f"postgresql://{auth}{host}:{port}/{db['NAME']}"


def table_counts(*, database_url=None, sqlite_path=None, alias="default"):
    """Rows per table, read with plain SQL (works on a database Django isn't using)."""
    counts = {}
    if sqlite_path:
        with sqlite3.connect(sqlite_path) as conn:
            present = {
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            }
            for table in _tables():
                if table in present:
                    counts[table] = conn.execute(
                        f'SELECT COUNT(*) FROM "{table}"'
                    ).fetchone()[0]
        return counts
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as conn:
            present = {
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            }
            for table in _tables():
                if table in present:
                    counts[table] = conn.execute(
                        f'SELECT COUNT(*) FROM "{table}"'
                    ).fetchone()[0]
        return counts
    connection = connections[alias]
    present = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in _tables():
            if table in present:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    return counts


def _file_hashes(root):
    root = Path(root)
    hashes = {}
    if not root.exists():
        return hashes
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    digest.update(chunk)
            hashes[str(path.relative_to(root))] = digest.hexdigest()
    return hashes


def create_backup(destination, *, alias="default"):
    """Write a backup folder under `destination`; return its path."""
    db = settings.DATABASES[alias]
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    folder = Path(destination) / f"joined-up-{stamp}"
    folder.mkdir(parents=True)
    engine = db["ENGINE"]
    if engine == "django.db.backends.postgresql":
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file",
             str(folder / "database.dump"), _pg_url(db)],
            check=True, capture_output=True,
        )  # fmt: skip
        kind = "postgresql"
    elif engine == "django.db.backends.sqlite3":
        connection = connections[alias]
        connection.ensure_connection()
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
        kind = "sqlite"
    else:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": kind,
        "tables": table_counts(alias=alias),
        "files": _file_hashes(media_root),
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True)
    )
    return folder


def restore_backup(
    folder, *, database_url=None, sqlite_path=None, media_root, force=False
):
    """Restore a backup into an EMPTY database and media folder, then verify it.

    Give `database_url` (PostgreSQL) or `sqlite_path`, matching the backup.
    Returns the verification report; raises BackupError if anything differs.
    """
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    media_root = Path(media_root)
    if manifest["database"] == "postgresql":
        if not database_url:
            raise BackupError("This backup is PostgreSQL: give --database-url.")
        if table_counts(database_url=database_url) and not force:
            raise BackupError(
                "The target database is not empty; use --force to overwrite."
            )
        result = subprocess.run(
            ["pg_restore", "--no-owner", "--clean", "--if-exists", "--dbname",
             database_url, str(folder / "database.dump")],
            capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode not in (0, 1):  # 1: warnings only
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
        restored = table_counts(database_url=database_url)
    else:
        if not sqlite_path:
            raise BackupError("This backup is SQLite: give --sqlite-path.")
        if Path(sqlite_path).exists() and not force:
            raise BackupError(f"{sqlite_path} exists; use --force to overwrite.")
        shutil.copyfile(folder / "database.sqlite3", sqlite_path)
        restored = table_counts(sqlite_path=sqlite_path)
    if media_root.exists() and any(media_root.iterdir()) and not force:
        raise BackupError(f"{media_root} is not empty; use --force to overwrite.")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar.gz", "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("media")]
        for member in members:
            member.name = os.path.relpath(member.name, "media")
        archive.extractall(media_root, members=[m for m in members if m.name != "."],
                           filter="data")  # fmt: skip
    files = _file_hashes(media_root)
    report = {
        "tables": len(restored),
        "rows": sum(restored.values()),
        "files": len(files),
        "table_mismatches": {
            table: (count, restored.get(table))
            for table, count in manifest["tables"].items()
            if restored.get(table) != count
        },
        "file_mismatches": sorted(
            name
            for name, digest in manifest["files"].items()
            if files.get(name) != digest
        ),
    }
    if report["table_mismatches"] or report["file_mismatches"]:
        raise BackupError(f"Restore does not match the backup: {report}")
    return report

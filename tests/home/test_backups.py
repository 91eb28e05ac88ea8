"""Backup and restore round trip: a fresh database gets every row and file back."""

import json
import os
import uuid

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from home.backups import BackupError, create_backup, restore_backup, table_counts
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def some_data():
    organisation = OrganisationFactory(
        name="Office for Backups", domain="backups.gov.uk"
    )
    for n in range(3):
        UserFactory(email=f"person{n}@backups.gov.uk", organisation=organisation)
    name = storages["private"].save("documents/1/report", ContentFile(b"%PDF-1.4 test"))
    return name


@pytest.fixture
def fresh_target(tmp_path):
    """An empty database of the same kind as the one under test."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        yield {"sqlite_path": str(tmp_path / "restored.sqlite3")}
        return
    import psycopg

    from home.backups import _pg_url

    name = f"cop_restore_{uuid.uuid4().hex[:10]}"
    admin_url = _pg_url({**db, "NAME": "postgres"})
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {"database_url": _pg_url({**db, "NAME": name})}
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_into_a_fresh_database_brings_back_every_row_and_file(
    some_data, fresh_target, tmp_path
):
    folder = create_backup(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["people_user"] == 3
    assert manifest["tables"]["people_organisation"] == 1
    assert any(name.startswith("private/documents/1/") for name in manifest["files"])

    media = tmp_path / "restored-media"
    report = restore_backup(folder, media_root=media, **fresh_target)

    assert report["table_mismatches"] == {}
    assert report["file_mismatches"] == []
    assert report["rows"] == sum(manifest["tables"].values())
    restored = table_counts(**fresh_target)
    assert restored["people_user"] == 3
    assert (media / "private" / some_data).read_bytes() == b"%PDF-1.4 test"


def test_a_damaged_backup_is_refused_not_half_restored(
    some_data, fresh_target, tmp_path
):
    folder = create_backup(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    first_file = next(iter(manifest["files"]))
    manifest["files"][first_file] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(BackupError, match="does not match"):
        restore_backup(folder, media_root=tmp_path / "m", **fresh_target)


def test_restore_refuses_a_target_that_is_not_empty(some_data, tmp_path):
    folder = create_backup(tmp_path / "backups")
    media = tmp_path / "media"
    media.mkdir()
    (media / "existing.txt").write_text("keep me")
    target = (
        {"sqlite_path": str(tmp_path / "x.sqlite3")}
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        else {"database_url": _current_db_url()}
    )
    if "sqlite_path" in target:
        open(target["sqlite_path"], "w").close()
    with pytest.raises(CommandError, match="not empty|exists"):
        call_command("restore", str(folder), media_root=str(media), **target)
    assert (media / "existing.txt").read_text() == "keep me"


def _current_db_url():
    from home.backups import _pg_url

    return _pg_url(settings.DATABASES["default"])


def test_backup_command_reports_where_it_wrote(some_data, tmp_path, capsys):
    call_command("backup", str(tmp_path / "out"))
    written = os.listdir(tmp_path / "out")
    assert len(written) == 1
    assert sorted(os.listdir(tmp_path / "out" / written[0])) == [
        "database.sqlite3"
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        else "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]
    assert written[0] in capsys.readouterr().out

"""export_year / import_year: a round trip into an empty database loses nothing."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from awards.models import AwardType
from blocs.models import BlocYear
from emulation.backup import (
    _reconcile_references,
    _unique_field,
    export_year,
    import_year,
    read_archive,
)
from tests.demo import load_demo

ROOT = Path(__file__).resolve().parents[2]


def canonical(archive: bytes) -> tuple[dict, dict]:
    """The archive's rows keyed by (model, pk) — or, for reference rows with a
    unique field (an award type's code…), by that value, since such rows may
    carry other primary keys in another database — with references to them
    written the same way."""
    from django.apps import apps

    _manifest, records, files = read_archive(archive)
    natural: dict[tuple[str, object], object] = {}
    for r in records:
        field = _unique_field(apps.get_model(r["model"]))
        if r["role"] == "reference" and field is not None:
            natural[(r["model"], r["pk"])] = r["fields"][field.name]

    def ref(label, value):
        if isinstance(value, list):  # a natural key already (users, content types)
            return value
        return natural.get((label, value), value)

    rows = {}
    for r in records:
        model = apps.get_model(r["model"])
        fields = dict(r["fields"])
        for field in model._meta.concrete_fields:
            if field.is_relation and field.name in fields:
                fields[field.name] = ref(field.related_model._meta.label_lower, fields[field.name])
        for field in model._meta.many_to_many:
            if field.name in fields:
                label = field.related_model._meta.label_lower
                fields[field.name] = sorted(str(ref(label, v)) for v in fields[field.name])
        rows[(r["model"], str(ref(r["model"], r["pk"])))] = json.dumps(
            fields, sort_keys=True, default=str
        )
    return rows, {name: len(data) for name, data in files.items()}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    load_demo()


def test_the_archive_holds_the_year_and_its_reference_data(demo):
    archive = export_year(2023)

    manifest, records, _files = read_archive(archive)
    models = {r["model"] for r in records}
    assert manifest["year"] == 2023
    assert {"blocs.emulationyear", "blocs.blocyear", "blocs.membership", "blocs.agency"} <= models
    years = {r["fields"]["year"] for r in records if r["model"] == "blocs.emulationyear"}
    assert years == {2023}
    assert any(r["model"] == "emulation.auditevent" for r in records)


def test_a_round_trip_into_an_empty_database_loses_nothing(demo, tmp_path):
    archive = export_year(2023)
    (tmp_path / "y2023.zip").write_bytes(archive)
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "DEBUG": "true",
    }

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result

    manage("migrate", "--noinput", "-v0")
    manage("import_year", str(tmp_path / "y2023.zip"))
    manage("export_year", "2023", "--out", str(tmp_path / "again.zip"))

    original_rows, original_files = canonical(archive)
    restored_rows, restored_files = canonical((tmp_path / "again.zip").read_bytes())
    # The restore itself is audited: one more event, nothing else differs.
    extra = {
        k for k in restored_rows.keys() - original_rows.keys() if k[0] != "emulation.auditevent"
    }
    assert extra == set()
    assert {k: v for k, v in restored_rows.items() if k in original_rows} == original_rows
    assert restored_files == original_files


def test_importing_over_an_existing_year_writes_nothing(demo):
    archive = export_year(2023)

    before = BlocYear.objects.count()
    with pytest.raises(ValidationError, match="đã có"):
        import_year(archive)
    assert BlocYear.objects.count() == before


@pytest.mark.parametrize("damage", ["not a zip", "bad checksum", "unsafe name"])
def test_a_damaged_archive_is_refused(demo, damage):
    archive = export_year(2023)
    if damage == "not a zip":
        archive = b"PK\x03\x04 nonsense"
    else:
        source = zipfile.ZipFile(io.BytesIO(archive))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for name in source.namelist():
                data = source.read(name)
                if damage == "bad checksum" and name == "data.json":
                    data = data.replace(b"2023", b"2099", 1)
                target.writestr(name, data)
            if damage == "unsafe name":
                target.writestr("files/../../etc/passwd", b"x")
        archive = buffer.getvalue()

    with pytest.raises(ValidationError):
        import_year(archive)


@pytest.mark.django_db
def test_reference_rows_found_by_their_code_under_another_key_are_reused():

    local = AwardType.objects.get(code="co_tinh")
    foreign_pk = local.pk + 1000  # as the same award may be numbered elsewhere
    records = [
        {
            "model": "awards.awardtype",
            "pk": foreign_pk,
            "role": "reference",
            "fields": {"code": "co_tinh", "name": local.name},
        },
        {
            "model": "awards.awardrecord",
            "pk": 1,
            "role": "owned",
            "fields": {"award_type": foreign_pk, "year": 2023},
        },
    ]

    present = _reconcile_references(records)

    assert ("awards.awardtype", foreign_pk) in present
    assert records[1]["fields"]["award_type"] == local.pk

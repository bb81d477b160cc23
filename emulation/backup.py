"""Backup of one emulation year: a versioned ZIP archive of its data and files.

``export_year`` collects every row that belongs to the year — the EmulationYear
rows of that year in every province, everything that points at them directly
or indirectly (bloc-years, memberships, assessments, scores, evidence, reviews,
meetings, polls, ballots, proposals, issued documents…), rows of models keyed
by the integer ``year`` (facts, award records), and the audit events about all
of those — plus the reference rows they point at (provinces, agencies, blocs,
users, award types, scoring tables…). Files referenced by FileFields are
stored beside the data.

``import_year`` restores such an archive: reference rows already present (same
primary key) are kept as they are; the year's own rows must not exist yet (the
import refuses and writes nothing otherwise). It runs in one transaction.

Archive layout: ``manifest.json`` (format version, year, counts, checksum),
``data.json`` (Django's JSON serialisation), ``files/<storage name>``.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers import sort_dependencies
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.models import EmulationYear
from emulation import audit
from emulation.models import AuditEvent

FORMAT_VERSION = 1
# Infrastructure tables that belong to no year and are rebuilt by migrate.
SKIPPED_APPS = {"contenttypes", "sessions", "admin", "axes", "auth"}


def _app_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in SKIPPED_APPS or m._meta.label == "emulation.User"
    ]


def _year_keyed_models() -> list[type[models.Model]]:
    keyed = []
    for model in _app_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "year"), None)
        if isinstance(field, models.IntegerField):
            keyed.append(model)
    return keyed


class _Collector:
    def __init__(self):
        self.owned: dict[type[models.Model], set] = defaultdict(set)
        self.reference: dict[type[models.Model], set] = defaultdict(set)

    def add_owned(self, model, pks: Iterable) -> set:
        new = set(pks) - self.owned[model]
        self.owned[model] |= new
        return new

    def collect(self, year: int) -> None:

        frontier: dict[type[models.Model], set] = defaultdict(set)
        frontier[EmulationYear] |= self.add_owned(
            EmulationYear, EmulationYear.objects.filter(year=year).values_list("pk", flat=True)
        )
        for model in _year_keyed_models():
            frontier[model] |= self.add_owned(
                model, model.objects.filter(year=year).values_list("pk", flat=True)
            )
        # Everything that points at an owned row (recursively) is owned too.
        while frontier:
            model, pks = frontier.popitem()
            if not pks or model is AuditEvent:
                continue
            for relation in model._meta.related_objects:
                related = relation.related_model
                if related._meta.app_label in SKIPPED_APPS or related is AuditEvent:
                    continue
                if relation.many_to_many:
                    continue  # m2m rows travel with their owner's serialisation
                field = relation.field.name
                found = related._base_manager.filter(**{f"{field}__in": pks}).values_list(
                    "pk", flat=True
                )
                new = self.add_owned(related, found)
                if new:
                    frontier[related] |= new
        # Audit events about owned rows.
        events = set()
        for model, pks in self.owned.items():
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            ids = [str(pk) for pk in pks]
            for start in range(0, len(ids), 500):
                events |= set(
                    AuditEvent.objects.filter(
                        target_type=content_type, target_id__in=ids[start : start + 500]
                    ).values_list("pk", flat=True)
                )
        self.owned[AuditEvent] |= events
        # The rows those point at, recursively, are reference data.
        pending = [(m, set(p)) for m, p in self.owned.items()]
        while pending:
            model, pks = pending.pop()
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.related_model is None:
                    continue
                target = field.related_model
                if (
                    target._meta.app_label in SKIPPED_APPS
                    and target._meta.label != "emulation.User"
                ):
                    continue
                values = set(
                    model._base_manager.filter(pk__in=pks)
                    .exclude(**{f"{field.attname}__isnull": True})
                    .values_list(field.attname, flat=True)
                )
                values -= self.owned[target] | self.reference[target]
                if values:
                    self.reference[target] |= values
                    pending.append((target, values))
            for field in model._meta.many_to_many:
                target = field.related_model
                values = set(
                    model._base_manager.filter(pk__in=pks)
                    .exclude(**{f"{field.name}__isnull": True})
                    .values_list(f"{field.name}__pk", flat=True)
                )
                values -= self.owned[target] | self.reference[target]
                if values:
                    self.reference[target] |= values
                    pending.append((target, values))


class _ExactEncoder(DjangoJSONEncoder):
    """Like Django's encoder, but keeps microseconds (Django's drops them)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _ordered(collector: _Collector) -> list[tuple[type[models.Model], str, set]]:
    by_model = {}
    for kind, mapping in (("reference", collector.reference), ("owned", collector.owned)):
        for model, pks in mapping.items():
            if pks:
                by_model.setdefault(model, []).append((kind, pks))
    app_list = defaultdict(list)
    for model in by_model:
        app_list[apps.get_app_config(model._meta.app_label)].append(model)
    ordered = []
    for model in sort_dependencies(app_list.items(), allow_cycles=True):
        for kind, pks in by_model.get(model, []):
            ordered.append((model, kind, pks))
    return ordered


def export_year(year: int) -> bytes:
    """The archive of ``year`` as ZIP bytes."""
    collector = _Collector()
    collector.collect(year)
    records = []
    files: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for model, kind, pks in _ordered(collector):
        objects = list(model._base_manager.filter(pk__in=pks).order_by("pk"))
        data = serializers.serialize(
            "python", objects, use_natural_foreign_keys=True, use_natural_primary_keys=False
        )
        for item in data:
            item["role"] = kind
        records.extend(data)
        counts[f"{model._meta.label}:{kind}"] = len(objects)
        if kind == "owned":
            file_fields = [
                f for f in model._meta.concrete_fields if isinstance(f, models.FileField)
            ]
            for obj in objects:
                for field in file_fields:
                    file = getattr(obj, field.attname)
                    if file and file.name and file.name not in files:
                        with file.storage.open(file.name, "rb") as fh:
                            files[file.name] = fh.read()
    data_bytes = json.dumps(records, cls=_ExactEncoder, ensure_ascii=False, indent=1).encode()
    manifest = {
        "format": "emulation-year-archive",
        "format_version": FORMAT_VERSION,
        "year": year,
        "created_at": timezone.now().isoformat(),
        "counts": counts,
        "files": len(files),
        "data_sha256": hashlib.sha256(data_bytes).hexdigest(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        archive.writestr("data.json", data_bytes)
        for name, content in sorted(files.items()):
            archive.writestr(f"files/{name}", content)
    return buffer.getvalue()


def read_archive(content: bytes) -> tuple[dict, list[dict], dict[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            data_bytes = archive.read("data.json")
            files = {
                name.removeprefix("files/"): archive.read(name)
                for name in archive.namelist()
                if name.startswith("files/") and not name.endswith("/")
            }
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ValidationError(_("This is not a year archive: %(error)s") % {"error": exc}) from exc
    if manifest.get("format") != "emulation-year-archive":
        raise ValidationError(_("This is not a year archive."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ValidationError(
            _("Archive format %(found)s is not supported (expected %(expected)s).")
            % {"found": manifest.get("format_version"), "expected": FORMAT_VERSION}
        )
    if hashlib.sha256(data_bytes).hexdigest() != manifest.get("data_sha256"):
        raise ValidationError(_("The archive is damaged: its checksum does not match."))
    for name in files:
        if name.startswith("/") or ".." in name.split("/"):
            raise ValidationError(_("The archive contains an unsafe file name."))
    return manifest, json.loads(data_bytes), files


def _unique_field(model):
    return next(
        (
            f
            for f in model._meta.concrete_fields
            if f.unique and not f.primary_key and not f.is_relation
        ),
        None,
    )


def _reconcile_references(records: list[dict]) -> set[tuple[str, object]]:
    """Reference rows already present here are kept as they are.

    A row is present when a row with the same unique value (an award type's
    code, an agency's code…) exists — possibly under another primary key, as
    rows that migrations load may have here — or, for models without such a
    field, when its primary key exists. References to rows found under another
    key are rewritten in ``records``. Returns the (model, pk) of present rows.
    """
    present: set[tuple[str, object]] = set()
    remap: dict[str, dict] = defaultdict(dict)
    for record in records:
        if record["role"] != "reference":
            continue
        model = apps.get_model(record["model"])
        field = _unique_field(model)
        existing = None
        if field is not None and field.name in record["fields"]:
            existing = (
                model._base_manager.filter(**{field.name: record["fields"][field.name]})
                .values_list("pk", flat=True)
                .first()
            )
        if existing is None:
            if model._base_manager.filter(pk=record["pk"]).exists():
                present.add((record["model"], record["pk"]))
            continue
        present.add((record["model"], record["pk"]))
        if existing != record["pk"]:
            remap[model._meta.label_lower][record["pk"]] = existing
    if remap:
        for record in records:
            model = apps.get_model(record["model"])
            fields = record["fields"]
            for field in model._meta.concrete_fields:
                target = field.related_model._meta.label_lower if field.is_relation else None
                value = fields.get(field.name)
                if target in remap and isinstance(value, int) and value in remap[target]:
                    fields[field.name] = remap[target][value]
            for field in model._meta.many_to_many:
                target = field.related_model._meta.label_lower
                if target in remap and isinstance(fields.get(field.name), list):
                    fields[field.name] = [
                        remap[target].get(v, v) if isinstance(v, int) else v
                        for v in fields[field.name]
                    ]
    return present


@transaction.atomic
def import_year(content: bytes, *, actor=None) -> dict:
    """Restore an archive made by export_year. Returns counts of rows written."""
    manifest, records, files = read_archive(content)
    written: dict[str, int] = defaultdict(int)
    owned = [r for r in records if r["role"] == "owned"]
    conflicts = []
    for record in owned:
        model = apps.get_model(record["model"])
        if model._base_manager.filter(pk=record["pk"]).exists():
            conflicts.append(f"{record['model']} #{record['pk']}")
    if conflicts:
        conflicts.sort(key=lambda row: row.startswith("emulation.auditevent"))
        raise ValidationError(
            _("The year %(year)s (or part of it) already exists here: %(rows)s")
            % {"year": manifest["year"], "rows": ", ".join(conflicts[:10])}
        )
    present = _reconcile_references(records)
    payload = [{k: v for k, v in r.items() if k != "role"} for r in records]
    for record, deserialized in zip(
        records,
        serializers.deserialize("python", payload, handle_forward_references=True),
        strict=True,
    ):
        model = type(deserialized.object)
        if record["role"] == "reference" and (record["model"], record["pk"]) in present:
            continue
        deserialized.save()
        written[model._meta.label] += 1
    for name, data in files.items():
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(data))
            if saved != name:  # pragma: no cover - storage renamed it
                raise ValidationError(_("Could not restore the file %(name)s.") % {"name": name})
    audit.record(
        actor=actor,
        action="backup.import_year",
        data={"year": manifest["year"], "rows": sum(written.values()), "files": len(files)},
    )
    return dict(written)

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction

from emulation import audit
from emulation.models import AuditEvent


@pytest.fixture
def event(cast):
    return audit.record(
        actor=cast.council, action="test.happened", target=cast.bloc_year, data={"x": 1}
    )


def test_record_stores_actor_action_target_and_data(event, cast):
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == cast.council
    assert event.actor_name == "council"
    assert event.action == "test.happened"
    assert event.target_id == str(cast.bloc_year.pk)
    assert event.target_repr == str(cast.bloc_year)
    assert event.data == {"x": 1}


def test_an_event_cannot_be_changed_through_the_model(event):
    event.action = "tampered"
    with pytest.raises(PermissionDenied):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.happened"


def test_an_event_cannot_be_deleted_through_the_model(event):
    with pytest.raises(PermissionDenied):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_changed_or_deleted_in_bulk(event):
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.happened"


@pytest.mark.postgres
def test_the_database_refuses_update_and_delete_of_an_event(event):
    for sql in (
        "UPDATE emulation_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE FROM emulation_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.happened"


def test_the_admin_shows_events_read_only(event, login, cast):
    """Events are read in the list (their data included); no page opens,
    changes or deletes one by its number."""
    client = login(cast.admin)

    listing = client.get("/admin/emulation/auditevent/").content.decode()
    assert "test.happened" in listing
    for page in ("change/", "delete/", "history/"):
        address = f"/admin/emulation/auditevent/{event.pk}/{page}"
        assert client.get(address).status_code == 404
        assert client.post(address, {"action": "tampered", "post": "yes"}).status_code == 404
    assert client.get("/admin/emulation/auditevent/add/").status_code == 404
    assert AuditEvent.objects.get(pk=event.pk).action == "test.happened"


def test_record_without_its_id_stores_the_same_event(cast):
    audit.record(
        actor=cast.council,
        action="test.quiet",
        target=cast.bloc_year,
        data={"old": Decimal("1.50"), "new": None},
        need_id=False,
    )

    event = AuditEvent.objects.get(action="test.quiet")
    assert event.actor == cast.council
    assert event.actor_name == "council"
    assert event.target_id == str(cast.bloc_year.pk)
    assert event.target_repr == str(cast.bloc_year)
    assert event.data == {"old": "1.50", "new": None}
    assert event.created_at is not None

"""The schema cannot link a ballot to its voter (DESIGN.md §3): VoterRecord and
Ballot share no key, no timestamp and no sequence, and nothing that lists
ballots reveals the order of casting."""

from __future__ import annotations

import pytest
from django.db import connection, models

from awards.models import Ballot, BallotChoice, VoterRecord
from awards.selectors.voting import receipts_of
from awards.services.voting import ballot_cast, poll_close, poll_publish
from blocs.models import Agency, Membership
from emulation.models import AuditEvent, User
from tests.factories.meeting import build_conference

TIME_FIELDS = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)
SEQUENCE_FIELDS = (models.AutoField, models.BigAutoField, models.SmallAutoField)


def concrete(model):
    return [f for f in model._meta.get_fields() if getattr(f, "concrete", False)]


@pytest.mark.parametrize("model", [Ballot, BallotChoice])
def test_ballot_rows_are_keyed_by_a_random_uuid_not_a_sequence(model):
    pk = model._meta.pk
    assert isinstance(pk, models.UUIDField)
    assert pk.default.__name__ == "uuid4"
    assert not any(isinstance(f, SEQUENCE_FIELDS) for f in concrete(model))


@pytest.mark.parametrize("model", [Ballot, BallotChoice, VoterRecord])
def test_no_time_on_ballots_or_voter_records(model):
    assert not any(isinstance(f, TIME_FIELDS) for f in concrete(model))


def test_ballot_and_voter_record_share_no_column_but_the_poll():
    ballot_columns = {f.column for f in concrete(Ballot)} | {
        f.column for f in concrete(BallotChoice)
    }
    voter_columns = {f.column for f in concrete(VoterRecord)}
    assert ballot_columns & voter_columns <= {"poll_id", "id"}
    # "id" is a random UUID on one side and an integer on the other: no join possible.
    assert Ballot._meta.pk.get_internal_type() != VoterRecord._meta.pk.get_internal_type()


def test_ballot_side_references_neither_voters_nor_users_nor_agencies():

    forbidden = {VoterRecord, User, Agency, Membership, AuditEvent}
    for model in (Ballot, BallotChoice):
        targets = {f.related_model for f in concrete(model) if f.is_relation}
        assert not targets & forbidden, model
    assert {f.related_model for f in concrete(BallotChoice) if f.is_relation} <= {
        Ballot,
        BallotChoice._meta.get_field("candidate").related_model,
    }
    voter_targets = {f.related_model for f in concrete(VoterRecord) if f.is_relation}
    assert Ballot not in voter_targets and BallotChoice not in voter_targets


@pytest.mark.django_db
def test_database_tables_match_the_models():
    """Introspect the real tables too: no extra column slipped in by a migration."""
    with connection.cursor() as cursor:
        for model in (Ballot, BallotChoice, VoterRecord):
            columns = {
                c.name
                for c in connection.introspection.get_table_description(
                    cursor, model._meta.db_table
                )
            }
            assert columns == {f.column for f in concrete(model)}
    assert {"receipt", "poll_id", "id", "is_invalid"} == {f.column for f in concrete(Ballot)}


@pytest.mark.django_db
def test_nothing_written_while_casting_names_the_ballot():
    conf = build_conference(members=9)
    poll = conf.open_poll(conf.memberships[:3])
    receipts = []
    for i in range(9):
        receipts.append(
            ballot_cast(
                actor=conf.heads[i],
                poll=poll,
                agency_id=conf.memberships[i].agency_id,
                candidate_ids=[poll.candidates.get(membership=conf.memberships[i % 3]).pk],
            ).receipt
        )

    ballot_ids = {str(b) for b in Ballot.objects.values_list("id", flat=True)}
    for event in AuditEvent.objects.all():
        text = f"{event.target_id} {event.target_repr} {event.data}"
        assert not any(r in text for r in receipts)
        assert not any(b in text for b in ballot_ids)

    poll_close(actor=conf.secretariat, poll=poll)
    poll_publish(actor=conf.secretariat, poll=poll)
    listed = receipts_of(poll)
    assert listed == sorted(receipts)
    # The default ordering is the random id, never the order of casting.
    assert Ballot._meta.ordering == ["id"]


def _closed_poll(prefix="s"):
    conf = build_conference(members=9, prefix=prefix)
    poll = conf.open_poll(conf.memberships[:3], quota=2)
    for i in reversed(range(9)):  # cast in an order unlike the agencies' ids
        ballot_cast(
            actor=conf.heads[i],
            poll=poll,
            agency_id=conf.memberships[i].agency_id,
            candidate_ids=[c.pk for c in poll.candidates.all()[: i % 3]],
        )
    before = {
        "votes": sorted(
            BallotChoice.objects.filter(ballot__poll=poll).values_list("candidate_id", flat=True)
        ),
        "receipts": receipts_of(poll),
    }
    poll_close(actor=conf.secretariat, poll=poll)
    return conf, poll, before


@pytest.mark.django_db
def test_closing_rewrites_ballots_and_voter_records_in_an_order_that_says_nothing():
    conf, poll, before = _closed_poll()

    # Same content…
    assert receipts_of(poll) == before["receipts"]
    assert (
        sorted(
            BallotChoice.objects.filter(ballot__poll=poll).values_list("candidate_id", flat=True)
        )
        == before["votes"]
    )
    # …but the voter records' ids follow the agencies, not the order of voting,
    voters = list(VoterRecord.objects.filter(poll=poll).order_by("id"))
    assert [v.agency_id for v in voters] == sorted(v.agency_id for v in voters)
    # and the ballots' physical order (rowid on SQLite, ctid on PostgreSQL) is their random id.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Ballot._meta.db_table} WHERE poll_id = %s ORDER BY rowid",  # noqa: S608 - model table
                [poll.pk],
            )
            physical = [row[0] for row in cursor.fetchall()]
        assert physical == sorted(physical)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_after_closing_no_transaction_id_links_a_ballot_to_a_voter():
    """On PostgreSQL a VoterRecord and the Ballot written with it share xmin
    (the transaction id) while the poll is open; closing rewrites both tables,
    so afterwards every row of each carries the closing transaction's id."""
    conf, poll, _before = _closed_poll(prefix="x")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT xmin::text FROM {Ballot._meta.db_table} WHERE poll_id = %s",  # noqa: S608 - model table
            [poll.pk],
        )
        ballot_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            f"SELECT DISTINCT xmin::text FROM {VoterRecord._meta.db_table} WHERE poll_id = %s",  # noqa: S608 - model table
            [poll.pk],
        )
        voter_xmins = {row[0] for row in cursor.fetchall()}
    assert len(ballot_xmins) == 1 and ballot_xmins == voter_xmins

"""A query compiled once answers each call with that call's values, with its
related objects and annotations, as the queryset itself would; an insert
written once writes its rows as ``save()`` would."""

import datetime

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from blocs.models import EmulationYear, Province
from emulation.backends import signed_in_user
from emulation.enums import AgencyRole, NotificationKind
from emulation.models import Notification
from emulation.prepared import PreparedInsert, PreparedQuery, PreparedUpdate
from emulation.selectors import with_unread_count
from tests.factories import UserFactory
from tests.factories.organisation import AgencyFactory, ProvinceFactory


def test_each_call_reads_the_row_of_its_own_value(db, django_assert_num_queries):
    first = UserFactory(agency=AgencyFactory(name="Sở Tư pháp"), agency_role=AgencyRole.OFFICER)
    second = UserFactory(
        agency=AgencyFactory(name="Thanh tra tỉnh"), agency_role=AgencyRole.OFFICER
    )
    Notification.objects.create(recipient=second, kind=NotificationKind.ASSESSMENT_RETURNED)

    with django_assert_num_queries(2):
        (a,) = signed_in_user(first.pk)
        (b,) = signed_in_user(second.pk)
        names = (a.agency.name, b.agency.name)

    assert (a.pk, b.pk) == (first.pk, second.pk)
    assert names == ("Sở Tư pháp", "Thanh tra tỉnh")
    assert (a.unread_notifications, b.unread_notifications) == (0, 1)


def test_an_unknown_value_reads_nothing(db):
    assert signed_in_user(10**9) == []


def test_it_answers_as_the_queryset_does(db):
    user = UserFactory(agency=AgencyFactory(), agency_role=AgencyRole.OFFICER)
    prepared = PreparedQuery(
        lambda pk: with_unread_count(type(user).objects).select_related("agency").filter(pk=pk)
    )
    expected = with_unread_count(type(user).objects).select_related("agency").get(pk=user.pk)

    (got,) = prepared(user.pk)

    assert got.__dict__.keys() == expected.__dict__.keys()
    assert got.agency == expected.agency
    assert got.unread_notifications == expected.unread_notifications


def test_its_values_are_converted_as_the_querysets_are(db):
    """Dates and times come back as Python values (SQLite keeps them as text),
    on every call of the compiled query."""
    users = [UserFactory(agency=AgencyFactory(), agency_role=AgencyRole.HEAD) for _ in range(2)]
    prepared = PreparedQuery(lambda pk: type(users[0]).objects.filter(pk=pk))
    fields = [field.attname for field in type(users[0])._meta.concrete_fields]

    for user in users:
        (got,) = prepared(user.pk)
        expected = type(user).objects.get(pk=user.pk)

        assert isinstance(got.date_joined, datetime.datetime)
        assert {f: getattr(got, f) for f in fields} == {f: getattr(expected, f) for f in fields}


def test_a_value_the_query_does_not_use_is_refused(db):
    prepared = PreparedQuery(lambda pk: UserFactory._meta.model.objects.all())
    with pytest.raises(ValueError, match="every value"):
        prepared(1)


def test_a_small_integer_column_and_a_missing_value(db):
    """A year is a small integer (its values compile differently on
    PostgreSQL); None finds nothing, as the queryset's ``= NULL`` would."""
    province = ProvinceFactory()
    year = EmulationYear.objects.create(province=province, year=2024)
    prepared = PreparedQuery(
        lambda province_id, y: EmulationYear.objects.filter(province_id=province_id, year=y),
        arity=2,
    )

    assert prepared(province.pk, 2024) == [year]
    assert prepared(province.pk, 2025) == []
    assert prepared(None, 2024) == []


def test_values_list_rows_as_the_queryset_gives_them(db):
    """A few columns, converted as the queryset converts them, in its order."""
    province = ProvinceFactory(name="Tỉnh Hai")
    EmulationYear.objects.create(province=province, year=2024)
    EmulationYear.objects.create(province=province, year=2023)

    def years(province_id):
        return EmulationYear.objects.filter(province_id=province_id).order_by("-year")

    rows = PreparedQuery(lambda pk: years(pk).values_list("year", "province__name"))
    flat = PreparedQuery(lambda pk: years(pk).values_list("year", flat=True))

    assert rows(province.pk) == list(years(province.pk).values_list("year", "province__name"))
    assert rows(province.pk) == [(2024, "Tỉnh Hai"), (2023, "Tỉnh Hai")]
    assert flat(province.pk) == [2024, 2023]


def test_a_query_without_values(db):
    ProvinceFactory(name="Tỉnh Bắc")
    ProvinceFactory(name="Tỉnh An")
    every = PreparedQuery(lambda: Province.objects.order_by("name"), arity=0)

    assert [p.name for p in every()] == ["Tỉnh An", "Tỉnh Bắc"]
    with pytest.raises(TypeError):
        every(1)


def test_dict_rows_are_refused(db):
    prepared = PreparedQuery(lambda pk: Province.objects.filter(pk=pk).values("name"))
    with pytest.raises(ValueError, match="values_list"):
        prepared(1)


def test_each_call_converts_the_columns_as_the_queryset_does(db):
    """Dates and decimals come back as the queryset gives them, call after call
    (on SQLite a date is text until its converter reads it)."""
    province = ProvinceFactory()
    EmulationYear.objects.create(
        province=province, year=2024, registration_deadline=datetime.date(2024, 3, 15)
    )
    EmulationYear.objects.create(province=province, year=2025)
    prepared = PreparedQuery(
        lambda province_id, y: EmulationYear.objects.filter(province_id=province_id, year=y),
        arity=2,
    )

    (first,) = prepared(province.pk, 2024)
    (second,) = prepared(province.pk, 2025)
    (again,) = prepared(province.pk, 2024)

    assert first.registration_deadline == datetime.date(2024, 3, 15)
    assert isinstance(again.registration_deadline, datetime.date)
    assert second.registration_deadline is None


def test_a_sliced_query_reads_the_slice_of_each_call(db, django_assert_num_queries):
    """As ``queryset[start:stop]``, with the bounds as parameters: one SQL
    for every page of a list."""
    province = ProvinceFactory()
    for year in range(2020, 2025):
        EmulationYear.objects.create(province=province, year=year)

    def years(province_id):
        return EmulationYear.objects.filter(province_id=province_id).order_by("-year")

    sliced = PreparedQuery(lambda pk: years(pk).values_list("year", flat=True), sliced=True)

    with django_assert_num_queries(4):
        pages = [sliced(province.pk, rows=(start, start + 2)) for start in (0, 2, 4, 6)]

    assert pages == [[2024, 2023], [2022, 2021], [2020], []]
    assert pages[1] == list(years(province.pk).values_list("year", flat=True)[2:4])
    assert sliced(province.pk, rows=(1, 1)) == []


def test_a_slice_is_given_to_a_sliced_query_and_only_to_it(db):
    sliced = PreparedQuery(lambda pk: Province.objects.filter(pk=pk), sliced=True)
    whole = PreparedQuery(lambda pk: Province.objects.filter(pk=pk))
    already = PreparedQuery(lambda pk: Province.objects.filter(pk=pk)[:1], sliced=True)

    with pytest.raises(TypeError):
        sliced(1)
    with pytest.raises(TypeError):
        whole(1, rows=(0, 1))
    with pytest.raises(ValueError, match="0 <= start <= stop"):
        sliced(1, rows=(2, 1))
    with pytest.raises(ValueError, match="its slice"):
        already(1, rows=(0, 1))


@pytest.mark.django_db
def test_on_postgresql_it_becomes_a_prepared_statement_of_its_connection():
    """PostgreSQL keeps the plan of a read every request makes: after
    ``prepare_threshold`` calls it is one of the connection's prepared
    statements. Other queries are bound on the client and never prepared."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; SQLite has no planner to spare")
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    assert threshold, "the reads every request makes are prepared on PostgreSQL"
    province = ProvinceFactory()
    prepared = PreparedQuery(lambda pk: Province.objects.filter(pk=pk))

    def prepared_statements():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements "
                "WHERE statement LIKE %s AND statement LIKE %s",
                ['%FROM "blocs_province"%', "%$1%"],
            )
            return cursor.fetchone()[0]

    for _ in range(threshold + 1):
        assert prepared(province.pk) == [province]
    list(Province.objects.filter(pk=province.pk))

    assert prepared_statements() == 1


def test_a_prepared_statement_is_logged_with_its_values(db):
    """Debug logs and query counts see a prepared read as Django's own
    queries: the SQL with its values, also once the statement is prepared."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    province = ProvinceFactory()
    prepared = PreparedQuery(lambda pk: Province.objects.filter(pk=pk))

    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            prepared(province.pk)

    assert len(queries) == 5
    assert all(f'"id" = {province.pk}' in query["sql"] for query in queries)


def _year_with_its_province(shared=("province",), **lock):
    return PreparedQuery(
        lambda pk: (
            EmulationYear.objects.filter(pk=pk)
            .select_related("province")
            .select_for_update(of=("self", "province"), **lock)
        ),
        shared=shared,
    )


def test_shared_rows_are_locked_for_share_and_the_others_for_update(db):
    """The rows read are the queryset's; on PostgreSQL its locking clause
    names the shared rows FOR SHARE (SQLite locks no row and reads them as
    they are)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    year = EmulationYear.objects.create(province=ProvinceFactory(name="Tỉnh Ba"), year=2024)
    only_shared = PreparedQuery(
        lambda pk: Province.objects.filter(pk=pk).select_for_update(of=("self",)), shared=("self",)
    )

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        (got,) = _year_with_its_province()(year.pk)
        assert only_shared(year.province_id) == [year.province]

    assert (got, got.province.name) == (year, "Tỉnh Ba")
    if connection.vendor == "postgresql":
        assert queries[0]["sql"].endswith(
            'FOR UPDATE OF "blocs_emulationyear" FOR SHARE OF "blocs_province"'
        )
        assert queries[1]["sql"].endswith('FOR SHARE OF "blocs_province"')
    else:
        assert all("FOR " not in query["sql"] for query in queries)


def test_shared_rows_must_be_rows_the_query_locks_and_waits_for(db):
    with pytest.raises(ValueError, match="shared"), transaction.atomic():
        _year_with_its_province(shared=("self__province",))(1)
    with pytest.raises(ValueError, match="shared"), transaction.atomic():
        PreparedQuery(lambda pk: Province.objects.filter(pk=pk), shared=("self",))(1)
    with pytest.raises(ValueError, match="waits"), transaction.atomic():
        _year_with_its_province(nowait=True)(1)


_insert_notification = PreparedInsert(Notification)


def test_an_insert_writes_each_row_as_save_would(db, django_assert_num_queries):
    """Defaults, the time of ``auto_now_add`` and a JSON value are written as
    ``save()`` writes them; several rows are one call."""
    user = UserFactory(agency=AgencyFactory(), agency_role=AgencyRole.OFFICER)
    saved = Notification.objects.create(
        recipient=user, kind=NotificationKind.ASSESSMENT_RETURNED, params={"bloc": "Khối 1"}
    )

    with django_assert_num_queries(1):
        _insert_notification(
            Notification(
                recipient=user,
                kind=NotificationKind.ASSESSMENT_RETURNED,
                params={"bloc": "Khối 1", "on": datetime.date(2024, 1, 31)},
            )
        )
    _insert_notification(
        *(Notification(recipient=user, kind=NotificationKind.POLL_OPENED) for _ in range(2))
    )

    written = Notification.objects.exclude(pk=saved.pk).order_by("pk")
    assert [(n.recipient_id, n.kind, n.params, n.email_attempts) for n in written] == [
        (user.pk, NotificationKind.ASSESSMENT_RETURNED, {"bloc": "Khối 1", "on": "2024-01-31"}, 0),
        (user.pk, NotificationKind.POLL_OPENED, {}, 0),
        (user.pk, NotificationKind.POLL_OPENED, {}, 0),
    ]
    assert all(n.created_at >= saved.created_at for n in written)


def test_an_insert_refused_by_a_constraint_raises_the_integrity_error(db):
    insert = PreparedInsert(Province)
    insert(Province(code="hn", name="Hà Nội"))

    with pytest.raises(IntegrityError), transaction.atomic():
        insert(Province(code="hn", name="Hà Nội (bản sao)"))

    assert list(Province.objects.values_list("name", flat=True)) == ["Hà Nội"]


def test_an_update_writes_its_columns_as_save_would_and_no_other(db, django_assert_num_queries):
    """The columns named, ``auto_now`` included; the others stay as stored."""
    user = UserFactory(agency=AgencyFactory(), agency_role=AgencyRole.OFFICER)
    other = UserFactory(agency=AgencyFactory(), agency_role=AgencyRole.OFFICER)
    notification = Notification.objects.create(
        recipient=user, kind=NotificationKind.ASSESSMENT_RETURNED, params={"bloc": "Khối 1"}
    )
    update = PreparedUpdate(Notification, ["recipient", "params"])
    notification.recipient = other
    notification.params = {"bloc": "Khối 2", "on": datetime.date(2024, 1, 31)}
    notification.kind = NotificationKind.POLL_OPENED  # not named: not written

    with django_assert_num_queries(1):
        update(notification)

    stored = Notification.objects.get(pk=notification.pk)
    assert (stored.recipient_id, stored.params, stored.kind) == (
        other.pk,
        {"bloc": "Khối 2", "on": "2024-01-31"},
        NotificationKind.ASSESSMENT_RETURNED,
    )


def test_an_update_of_a_row_that_is_not_there_is_an_error(db):
    province = Province.objects.create(code="hn", name="Hà Nội")
    update = PreparedUpdate(Province, ["name"])
    Province.objects.filter(pk=province.pk).delete()

    with pytest.raises(DatabaseError):
        update(province)

"""Scoring tables: which table a bloc-year uses, freezing, copying, the Excel
import (preview, row errors, all or nothing) and the command, and the pages."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from blocs.enums import Phase
from blocs.importers import scoring_table as importer
from blocs.models import Criterion, CriterionGroup, ScoringTable
from blocs.selectors.scoring import scoring_table_for, table_structure
from blocs.services.scoring import (
    bloc_year_open_self_assessment,
    criterion_create,
    criterion_delete,
    criterion_group_create,
    criterion_group_delete,
    criterion_group_update,
    criterion_update,
    scoring_table_copy,
    scoring_table_create,
    scoring_table_import,
)
from emulation.models import AuditEvent
from tests.factories import EmulationYearFactory, put_in_phase
from tests.factories.assessment import set_deadline
from tests.factories.organisation import COUNCIL_ONLY
from tests.factories.scoring import (
    CriterionFactory,
    CriterionGroupFactory,
    ScoringTableFactory,
    small_table,
)

D = Decimal
HEADERS = [
    "STT nhóm",
    "Nhóm tiêu chí",
    "Điểm tối đa của nhóm",
    "Mã",
    "Tiêu chí",
    "Điểm tối đa",
    "Loại",
    "Bước điểm",
    "Bắt buộc minh chứng",
]


def xlsx(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD = [
    [1, "Công tác tham mưu", 20, "1.1", "Ban hành kế hoạch năm", 10, "chuẩn", 0.5, "có"],
    [1, "Công tác tham mưu", 20, "1.2", "Báo cáo đúng hạn", 10, "chuẩn", 0.25, "không"],
    [2, "Điểm thưởng", 5, "T.1", "Sáng kiến", 5, "thưởng", 1, "có"],
    [3, "Điểm trừ", 5, "Tr.1", "Bị phê bình", 5, "trừ", 1, ""],
]


def test_a_bloc_year_uses_its_blocs_table_before_the_province_default(cast):
    default = scoring_table_create(actor=cast.council, year=cast.bloc_year.year, name="Chung")
    assert scoring_table_for(cast.bloc_year) == default

    own = scoring_table_create(
        actor=cast.council, year=cast.bloc_year.year, bloc=cast.bloc_year.bloc, name="Riêng"
    )

    assert scoring_table_for(cast.bloc_year) == own


def test_a_frozen_table_refuses_changes_and_a_copy_is_a_new_editable_version(cast):
    table, criteria = small_table(cast.council, cast.bloc_year.year)
    set_deadline(cast.bloc_year, 5)
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    bloc_year_open_self_assessment(actor=cast.council, bloc_year=cast.bloc_year)

    with pytest.raises(ValidationError, match="đã bị khóa"):
        criterion_update(actor=cast.council, criterion=criteria["1.1"], max_points=D(12))
    with pytest.raises(ValidationError, match="chưa bắt đầu"):
        bloc_year_open_self_assessment(actor=cast.council, bloc_year=cast.bloc_year)

    copy = scoring_table_copy(actor=cast.council, table=table)

    assert copy.version == 2 and not copy.is_frozen
    assert copy.criteria.count() == 4 and copy.groups.count() == 3
    assert AuditEvent.objects.filter(action="scoring_table.copy").count() == 1
    criterion_update(actor=cast.council, criterion=copy.criteria.get(code="1.1"), max_points=D(12))


def test_a_frozen_tables_structure_is_read_once_and_each_caller_gets_its_own_groups(
    cast, django_assert_num_queries
):
    table, criteria = small_table(cast.council, cast.bloc_year.year)
    set_deadline(cast.bloc_year, 5)
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    bloc_year_open_self_assessment(actor=cast.council, bloc_year=cast.bloc_year)
    table.refresh_from_db()
    first_groups, first_criteria = table_structure(table)
    first_groups[0].rows = ["the rows of one page"]

    with django_assert_num_queries(0):
        groups, again = table_structure(table)

    assert [c.code for c in again] == [c.code for c in first_criteria] == list(criteria)
    assert [g.pk for g in groups] == [g.pk for g in first_groups]
    assert [c.code for c in groups[0].items] == ["1.1", "1.2"]
    assert not hasattr(groups[0], "rows")
    with django_assert_num_queries(0):  # a reader that changes nothing shares the process's
        shared, _criteria = table_structure(table, shared=True)
    assert shared is table_structure(table, shared=True)[0]
    assert not hasattr(shared[0], "rows")


def test_copy_to_the_next_year(cast):
    table, _criteria = small_table(cast.council, cast.bloc_year.year)
    next_year = EmulationYearFactory(province=cast.province, year=2024)

    copy = scoring_table_copy(actor=cast.council, table=table, year=next_year, name="Bảng 2024")

    assert (copy.year, copy.version, copy.name) == (next_year, 1, "Bảng 2024")
    assert list(copy.criteria.values_list("code", flat=True).order_by("code")) == [
        "1.1",
        "1.2",
        "T.1",
        "Tr.1",
    ]


def test_criterion_rules_are_checked(cast):
    table, criteria = small_table(cast.council, cast.bloc_year.year)
    group = criteria["1.1"].group
    with pytest.raises(ValidationError, match="đã có"):
        criterion_create(
            actor=cast.council, group=group, code="1.1", text="x", max_points=D(1), step=D(1)
        )
    with pytest.raises(ValidationError, match="bội số"):
        criterion_create(
            actor=cast.council, group=group, code="1.9", text="x", max_points=D(1), step=D("0.3")
        )
    with pytest.raises(ValidationError):
        criterion_create(
            actor=cast.council,
            group=group,
            code="1.8",
            text="x",
            max_points=D(1),
            step=D(1),
            kind="bonus",
            na_allowed=True,
        )


SCORING_WRITES = {
    "table_create": lambda actor, table, criteria: scoring_table_create(
        actor=actor, year=table.year, name="Bảng mới"
    ),
    "table_copy": lambda actor, table, criteria: scoring_table_copy(actor=actor, table=table),
    "table_import": lambda actor, table, criteria: scoring_table_import(
        actor=actor, year=table.year, bloc=None, rows=[]
    ),
    "group_create": lambda actor, table, criteria: criterion_group_create(
        actor=actor, table=table, name="Nhóm mới", max_points=D(5), order=9
    ),
    "group_update": lambda actor, table, criteria: criterion_group_update(
        actor=actor, group=criteria["T.1"].group, name="Thưởng", max_points=D(2), order=2
    ),
    "group_delete": lambda actor, table, criteria: criterion_group_delete(
        actor=actor, group=criteria["Tr.1"].group
    ),
    "criterion_create": lambda actor, table, criteria: criterion_create(
        actor=actor, group=criteria["1.1"].group, code="1.3", text="Mới", max_points=D(1)
    ),
    "criterion_update": lambda actor, table, criteria: criterion_update(
        actor=actor, criterion=criteria["1.1"], text="Đổi nội dung"
    ),
    "criterion_delete": lambda actor, table, criteria: criterion_delete(
        actor=actor, criterion=criteria["1.2"]
    ),
}


@pytest.mark.parametrize("write", sorted(SCORING_WRITES))
@pytest.mark.parametrize(("who", "allowed"), COUNCIL_ONLY)
def test_only_the_provinces_council_writes_its_scoring_tables(cast, write, who, allowed):
    table, criteria = small_table(cast.council, cast.bloc_year.year)
    actor = getattr(cast, who)
    if allowed:
        SCORING_WRITES[write](actor, table, criteria)
        assert AuditEvent.objects.filter(actor=actor, action__startswith="scoring_table").exists()
    else:
        with pytest.raises(PermissionDenied):
            SCORING_WRITES[write](actor, table, criteria)
        assert not AuditEvent.objects.filter(actor=actor).exists()


def test_opening_without_a_table_is_refused(cast):
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    with pytest.raises(ValidationError, match="Chưa có bảng chấm điểm"):
        bloc_year_open_self_assessment(actor=cast.council, bloc_year=cast.bloc_year)


# --- import ----------------------------------------------------------------------


def test_import_writes_the_whole_table(cast):
    result, table = importer.import_table(
        xlsx(GOOD), actor=cast.council, year=cast.bloc_year.year, bloc=None
    )

    assert result.ok and result.written == 4
    assert table.groups.count() == 3
    c = Criterion.objects.get(table=table, code="T.1")
    assert (c.kind, c.max_points, c.step, c.evidence_required) == ("bonus", D(5), D(1), True)


def test_import_with_row_errors_writes_nothing(cast):
    rows = [
        *GOOD,
        [1, "Công tác tham mưu", 20, "1.1", "Trùng mã", 3, "chuẩn", 0.5, "có"],
        [4, "Nhóm lỗi", 5, "4.1", "Bước sai", 1, "chuẩn", 0.3, "có"],
        [4, "Nhóm lỗi", 5, "4.2", "Công thức", "=1+1", "chuẩn", 1, "có"],
    ]

    result, table = importer.import_table(
        xlsx(rows), actor=cast.council, year=cast.bloc_year.year, bloc=None
    )

    assert table is None and not result.ok
    lines = result.error_lines()
    assert any("Dòng 6" in line and "trùng" in line for line in lines)
    assert any("Dòng 7" in line and "bội số" in line for line in lines)
    assert any("Dòng 8" in line for line in lines)
    assert not ScoringTable.objects.exists() and not CriterionGroup.objects.exists()


@pytest.mark.parametrize("step", ["6.39e-273", "1e-30", 0.001])
def test_a_step_too_fine_for_two_places_is_refused_with_a_message(cast, step):
    rows = [[1, "Nhóm", 20, "1.1", "Tiêu chí", 10, "chuẩn", step, "có"]]

    result, table = importer.import_table(
        xlsx(rows), actor=cast.council, year=cast.bloc_year.year, bloc=None
    )

    assert table is None and not result.ok
    assert any("hai chữ số thập phân" in line for line in result.error_lines())


def test_export_then_import_round_trips(cast, login):
    table, _criteria = small_table(cast.council, cast.bloc_year.year)

    response = login(cast.council).get(reverse("blocs:scoring_table_export", args=[table.pk]))
    content = b"".join([response.content])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["B1"].value == "Nhóm tiêu chí"

    next_year = EmulationYearFactory(province=cast.province, year=2024)
    result, copy = importer.import_table(content, actor=cast.council, year=next_year, bloc=None)

    assert result.ok, result.error_lines()
    assert copy.criteria.count() == 4
    assert copy.criteria.get(code="1.2").na_allowed is True


def test_the_import_command_checks_writes_and_refuses(cast, tmp_path):
    good = tmp_path / "bang.xlsx"
    good.write_bytes(xlsx(GOOD))
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(xlsx([[1, "Nhóm", 10, "1.1", "Tiêu chí", 20, "chuẩn", 0.5, "có"]] * 2))

    call_command(
        "import_scoring_table", str(good), "--year", "2023", "--dry-run", stdout=io.StringIO()
    )
    assert not ScoringTable.objects.exists()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command(
            "import_scoring_table",
            str(bad),
            "--year",
            "2023",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    out = io.StringIO()
    call_command("import_scoring_table", str(good), "--year", "2023", "--bloc", "khoi1", stdout=out)

    table = ScoringTable.objects.get()
    assert table.bloc == cast.bloc_year.bloc and table.criteria.count() == 4
    assert "4 criteria written" in out.getvalue()


# --- pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("council", 200), ("admin", 200), ("officer", 403), ("secretariat", 403)],
)
def test_table_list_permission(cast, login, who, status):
    assert login(getattr(cast, who)).get(reverse("blocs:scoring_table_list")).status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("council", 200), ("other_council", 404), ("officer", 403)]
)
def test_table_detail_permission(cast, login, who, status):
    table, _criteria = small_table(cast.council, cast.bloc_year.year)

    response = login(getattr(cast, who)).get(reverse("blocs:scoring_table_detail", args=[table.pk]))

    assert response.status_code == status
    if status == 200:
        assert "Hoàn thành chỉ tiêu được giao" in response.content.decode()


def test_council_edits_a_table_on_the_page(cast, login):
    client = login(cast.council)
    response = client.post(
        reverse("blocs:scoring_table_create"),
        {"year": cast.bloc_year.year.pk, "name": "Bảng chấm điểm 2023"},
    )
    table = ScoringTable.objects.get()
    assert response.url == reverse("blocs:scoring_table_detail", args=[table.pk])
    client.post(
        reverse("blocs:group_create", args=[table.pk]),
        {"order": 1, "name": "Công tác chuyên môn", "max_points": "30"},
    )
    group = table.groups.get()

    response = client.post(
        reverse("blocs:criterion_create", args=[group.pk]),
        {
            "code": "1.1",
            "text": "Hoàn thành chỉ tiêu",
            "max_points": "10",
            "kind": "standard",
            "step": "0.3",
            "order": 1,
        },
    )
    assert "bội số" in response.content.decode()  # the error beside the field
    client.post(
        reverse("blocs:criterion_create", args=[group.pk]),
        {
            "code": "1.1",
            "text": "Hoàn thành chỉ tiêu",
            "max_points": "10",
            "kind": "standard",
            "step": "0.5",
            "order": 1,
        },
    )

    assert table.criteria.get().step == D("0.5")
    assert (
        login(cast.other_council)
        .post(reverse("blocs:group_create", args=[table.pk]), {})
        .status_code
        == 404
    )
    assert (
        login(cast.officer).post(reverse("blocs:group_create", args=[table.pk]), {}).status_code
        == 403
    )
    assert client.get(reverse("blocs:group_create", args=[table.pk])).status_code == 405
    assert (
        client.get(reverse("blocs:criterion_delete", args=[table.criteria.get().pk])).status_code
        == 405
    )


def test_import_page_previews_then_writes(cast, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(cast.council)
    url = reverse("blocs:scoring_table_import")
    upload = SimpleUploadedFile("bang.xlsx", xlsx(GOOD))

    response = client.post(url, {"year": cast.bloc_year.year.pk, "file": upload})

    assert "Đánh dấu “Ghi bảng điểm” và gửi lại tệp để nhập." in response.content.decode()
    assert not ScoringTable.objects.exists()
    upload = SimpleUploadedFile("bang.xlsx", xlsx(GOOD))
    response = client.post(url, {"year": cast.bloc_year.year.pk, "file": upload, "confirm": "on"})
    assert ScoringTable.objects.get().criteria.count() == 4


@pytest.mark.parametrize("tables", [1, 5])
def test_table_list_query_count(cast, login, django_assert_num_queries, tables):
    for i in range(tables):
        scoring_table_create(actor=cast.council, year=cast.bloc_year.year, name=f"Bảng {i}")
    client = login(cast.council)

    with django_assert_num_queries(5):
        client.get(reverse("blocs:scoring_table_list"))


def _table_of(cast, *, groups: int, criteria: int):
    """A table of the cast's year with ``groups`` groups of ``criteria``
    criteria each, coded 1.1, 1.2, 2.1…"""
    table = ScoringTableFactory(actor=cast.council, year=cast.bloc_year.year)
    for i in range(groups):
        group = CriterionGroupFactory(actor=cast.council, table=table, order=i + 1)
        for j in range(criteria):
            CriterionFactory(actor=cast.council, group=group, code=f"{i + 1}.{j + 1}", order=j + 1)
    return table


@pytest.mark.parametrize("groups", [1, 5])
def test_table_detail_query_count_does_not_grow(cast, login, django_assert_num_queries, groups):
    table = _table_of(cast, groups=groups, criteria=2)
    client = login(cast.council)
    url = reverse("blocs:scoring_table_detail", args=[table.pk])
    client.get(url)

    with django_assert_num_queries(TABLE_DETAIL_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("Tiêu chí ") >= 2 * groups
    assert f"Tiêu chí {groups}.2" in body


TABLE_DETAIL_QUERIES = 6


@pytest.mark.parametrize("n", [1, 5])
def test_scoring_table_export_query_count_does_not_grow(cast, login, django_assert_num_queries, n):
    """n groups of one criterion each: one row per criterion, read at once."""
    table = _table_of(cast, groups=n, criteria=1)
    client = login(cast.council)
    url = reverse("blocs:scoring_table_export", args=[table.pk])
    client.get(url)

    with django_assert_num_queries(SCORING_TABLE_EXPORT_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("STT nhóm", "Nhóm tiêu chí")
    assert [row[3] for row in rows[1:]] == [f"{i + 1}.1" for i in range(n)]


SCORING_TABLE_EXPORT_QUERIES = 5

"""Excel import of agencies and memberships: every row's error in the preview,
nothing written unless the whole file is valid; the management commands; the
export in the import's format; the import pages."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from blocs import services
from blocs.enums import MemberRole, Phase
from blocs.importers import agencies as agency_importer
from blocs.importers import memberships as membership_importer
from blocs.models import Agency, BlocYear, Membership, Province
from emulation.models import AuditEvent
from tests.factories import AgencyFactory, BlocFactory, BlocYearFactory, add_member, put_in_phase

pytestmark = pytest.mark.django_db

AGENCY_HEADER = ["Mã cơ quan", "Tên cơ quan", "Tên viết tắt", "Hoạt động từ", "Hoạt động đến"]
MEMBER_HEADER = ["Mã khối", "Năm", "Mã cơ quan", "Vai trò", "Thứ tự luân phiên"]


def xlsx(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(tmp_path, name, data) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# --- agencies ---------------------------------------------------------------------------


def test_agency_import_good_file_creates_and_updates(cast):
    data = xlsx(
        AGENCY_HEADER,
        [
            ["sxd", "Sở Xây dựng", "SXD", datetime.date(2020, 1, 1), None],
            ["MEM", "Sở Đổi Tên", "", None, "28/02/2025"],
            ["lead", cast.leader.agency.name, "", None, None],
        ],
    )
    result = agency_importer.run(data, actor=cast.council, provinces=[cast.province])

    assert result.ok, result.error_lines()
    assert result.written == 2  # the unchanged row writes nothing
    created = Agency.objects.get(code="sxd")
    assert (created.province, created.active_from) == (cast.province, datetime.date(2020, 1, 1))
    renamed = Agency.objects.get(code="mem")
    assert (renamed.name, renamed.active_to) == ("Sở Đổi Tên", datetime.date(2025, 2, 28))
    assert AuditEvent.objects.filter(action__in=["agency.create", "agency.update"]).count() == 2


def test_agency_import_bad_rows_write_nothing_and_say_why(cast):
    before = Agency.objects.count()
    data = xlsx(
        AGENCY_HEADER,
        [
            ["ok1", "Sở Tốt", "", None, None],
            ["sở xd", "Mã sai", "", None, None],
            ["ok1", "Trùng mã", "", None, None],
            ["x2", "", "", None, None],
            ["x3", "Ngày sai", "", "hôm qua", None],
            ["x4", "Hết trước khi bắt đầu", "", "01/01/2025", "01/01/2024"],
            ["x5", '=HYPERLINK("http://x")', "", None, None],
        ],
    )
    result = agency_importer.run(data, actor=cast.council, provinces=[cast.province])

    assert not result.ok
    assert Agency.objects.count() == before
    errors = {row.number: " ".join(row.errors) for row in result.rows}
    assert errors[2] == ""
    assert "Mã cơ quan không hợp lệ" in errors[3]
    assert "xuất hiện hai lần" in errors[4]
    assert "Tên cơ quan" in errors[5]
    assert "ngày" in errors[6]
    assert "trước" in errors[7]
    assert "công thức" in errors[8]


def test_agency_import_refuses_a_code_of_another_province(cast):
    other = Province.objects.create(code="khac2", name="Tỉnh Khác 2")
    AgencyFactory(province=other, code="sxd")
    data = xlsx(AGENCY_HEADER, [["sxd", "Sở Xây dựng", "", None, None]])
    result = agency_importer.run(data, actor=cast.council, provinces=[cast.province])
    assert not result.ok
    assert "thuộc" in result.rows[0].errors[0]


def test_agency_import_not_an_excel_file(cast):
    result = agency_importer.run(b"code,name\n", actor=None, provinces=[cast.province])
    assert not result.ok
    assert result.file_errors


def test_agency_export_reimports_unchanged(cast, login):
    response = login(cast.council).get(reverse("blocs:agency_export"))
    assert response.status_code == 200
    data = b"".join(response) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:2] == ["Mã cơ quan", "Tên cơ quan"]
    assert sheet.max_row == 4  # header + lead, mem, out

    result = agency_importer.run(data, actor=cast.council, provinces=[cast.province])
    assert result.ok, result.error_lines()
    assert result.written == 0


@pytest.mark.parametrize("n", [1, 5])
def test_agency_export_query_count_does_not_grow(cast, login, django_assert_num_queries, n):
    for i in range(n):
        services.agency_create(
            actor=cast.council, province=cast.province, code=f"qc{i}", name=f"Sở Đếm {i}"
        )
    client = login(cast.council)
    url = reverse("blocs:agency_export")
    client.get(url)

    with django_assert_num_queries(AGENCY_EXPORT_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    rows = _cells(response.content)[1:]
    assert len(rows) == 3 + n  # lead, mem, out and the n new ones
    assert sum(1 for row in rows if str(row[1]).startswith("Sở Đếm ")) == n


AGENCY_EXPORT_QUERIES = 3


def test_import_agencies_command(cast, tmp_path):
    header = [*AGENCY_HEADER, "Mã tỉnh"]
    good = write(
        tmp_path, "good.xlsx", xlsx(header, [["sct", "Sở Công Thương", "", None, None, "tinh"]])
    )
    out = io.StringIO()

    call_command("import_agencies", good, "--dry-run", stdout=out)
    assert not Agency.objects.filter(code="sct").exists()
    assert "1" in out.getvalue()

    call_command("import_agencies", good, stdout=out)
    assert Agency.objects.get(code="sct").province == cast.province


def test_import_agencies_command_needs_the_province_when_there_are_several(cast, tmp_path):
    path = write(
        tmp_path, "p.xlsx", xlsx(AGENCY_HEADER, [["sct", "Sở Công Thương", "", None, None]])
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_agencies", path, stderr=err)
    assert "mã tỉnh" in err.getvalue()


def test_import_agencies_command_exits_non_zero_and_prints_errors(cast, tmp_path):
    bad = write(tmp_path, "bad.xlsx", xlsx(AGENCY_HEADER, [["Sai Mã!", "Sở", "", None, None]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_agencies", bad, stderr=err)
    assert "Dòng 2" in err.getvalue()
    assert not Agency.objects.filter(name="Sở").exists()


# --- memberships -------------------------------------------------------------------------


@pytest.fixture
def year_2024(cast):
    return services.emulation_year_create(actor=None, province=cast.province, year=2024)


def test_membership_import_good_file_creates_the_bloc_year(cast, year_2024):
    data = xlsx(
        MEMBER_HEADER,
        [
            ["khoi1", 2024, "mem", "Trưởng khối", 1],
            ["khoi1", 2024, "lead", "phó khối", 2],
            ["khoi1", 2024, "out", "", None],
        ],
    )
    result = membership_importer.run(data, actor=cast.council, provinces=[cast.province])

    assert result.ok, result.error_lines()
    bloc_year = BlocYear.objects.get(bloc__code="khoi1", year=year_2024)
    roles = dict(bloc_year.memberships.values_list("agency__code", "role"))
    assert roles == {"mem": "leader", "lead": "deputy", "out": "member"}
    assert bloc_year.memberships.get(agency__code="out").rotation_order == 3


def test_membership_import_bad_rows_write_nothing(cast, year_2024):
    AgencyFactory(province=cast.province, code="free")
    data = xlsx(
        MEMBER_HEADER,
        [
            ["khoi1", 2024, "free", "thành viên", 1],
            ["khoi1", 2024, "khong-co", "thành viên", 2],
            ["khoi-la", 2024, "mem", "thành viên", 3],
            ["khoi1", 2099, "lead", "thành viên", 4],
            ["khoi1", 2024, "free", "thành viên", 5],
            ["khoi1", 2024, "Sai Mã", "thành viên", 6],
            ["khoi1", 2024, "lead", "chủ tịch", 7],
            ["khoi1", 2023, "out", "thành viên", 8],
        ],
    )
    result = membership_importer.run(data, actor=cast.council, provinces=[cast.province])

    assert not result.ok
    assert not BlocYear.objects.filter(year=year_2024).exists()
    errors = {row.number: " ".join(row.errors) for row in result.rows}
    assert errors[2] == ""
    assert "Không có cơ quan mã “khong-co”" in errors[3]
    assert "khoi-la" in errors[4]
    assert "2099" in errors[5]
    assert "hai lần" in errors[6]
    assert "không hợp lệ" in errors[7]
    assert "Vai trò" in errors[8]
    assert "đã là thành viên của khối khác" in errors[9]


def test_membership_import_refuses_two_leaders(cast):
    data = xlsx(MEMBER_HEADER, [["khoi1", 2023, "mem", "trưởng khối", 2]])
    result = membership_importer.run(data, actor=cast.council, provinces=[cast.province])
    assert not result.ok
    assert "nhiều hơn một" in result.rows[0].errors[0]


def test_membership_import_swaps_leader_and_member(cast):
    data = xlsx(
        MEMBER_HEADER,
        [["khoi1", 2023, "mem", "trưởng khối", 1], ["khoi1", 2023, "lead", "thành viên", 2]],
    )
    result = membership_importer.run(data, actor=cast.council, provinces=[cast.province])
    assert result.ok, result.error_lines()
    roles = dict(cast.bloc_year.memberships.values_list("agency__code", "role"))
    assert roles == {"mem": MemberRole.LEADER, "lead": MemberRole.MEMBER}


def test_membership_import_refuses_a_started_year(cast):
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    AgencyFactory(province=cast.province, code="free")
    data = xlsx(MEMBER_HEADER, [["khoi1", 2023, "free", "thành viên", 9]])
    result = membership_importer.run(data, actor=cast.council, provinces=[cast.province])
    assert not result.ok
    assert "không thể thay đổi" in result.rows[0].errors[0]


def test_membership_import_other_province_bloc_is_unknown(cast, year_2024):
    BlocFactory(province=cast.other_council.province, code="khoi-khac")
    data = xlsx(MEMBER_HEADER, [["khoi-khac", 2024, "mem", "thành viên", 1]])
    result = membership_importer.run(data, actor=cast.council, provinces=[cast.province])
    assert not result.ok


def test_membership_export_reimports_unchanged(cast, login):
    response = login(cast.council).get(reverse("blocs:membership_export"), {"year": 2023})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4
    result = membership_importer.run(
        response.content, actor=cast.council, provinces=[cast.province]
    )
    assert result.ok, result.error_lines()
    assert result.written == 0


@pytest.mark.parametrize("n", [1, 5])
def test_membership_export_query_count_does_not_grow(cast, login, django_assert_num_queries, n):
    """Each new member in a bloc-year of its own: a bloc, a year and an agency
    per row that the export must not read one by one."""
    for i in range(n):
        bloc_year = BlocYearFactory(
            bloc__province=cast.province, bloc__code=f"qc{i}", year=cast.bloc_year.year
        )
        add_member(bloc_year, AgencyFactory(province=cast.province, code=f"qc{i}"))
    client = login(cast.council)
    url = reverse("blocs:membership_export")
    client.get(url, {"year": 2023})

    with django_assert_num_queries(MEMBERSHIP_EXPORT_QUERIES):
        response = client.get(url, {"year": 2023})

    assert response.status_code == 200
    rows = _cells(response.content)[1:]
    assert len(rows) == 3 + n  # lead, mem, out and the n new members
    assert sorted(row[0] for row in rows if row[0].startswith("qc")) == [f"qc{i}" for i in range(n)]


MEMBERSHIP_EXPORT_QUERIES = 3


def test_import_memberships_command(cast, tmp_path, year_2024):
    good = write(
        tmp_path, "m.xlsx", xlsx(MEMBER_HEADER, [["khoi1", 2024, "mem", "trưởng khối", 1]])
    )
    call_command("import_memberships", good, "--dry-run", stdout=io.StringIO())
    assert not Membership.objects.filter(year=year_2024).exists()
    call_command("import_memberships", good, stdout=io.StringIO())
    assert Membership.objects.get(year=year_2024).role == MemberRole.LEADER


def test_import_memberships_command_invalid_file(cast, tmp_path):
    bad = write(tmp_path, "m.xlsx", xlsx(MEMBER_HEADER, [["khoi1", 2023, "nope", "", 1]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_memberships", bad, stderr=err)
    assert "nope" in err.getvalue()


# --- the import pages ----------------------------------------------------------------------


def upload(data, name="file.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_agency_import_page_preview_then_confirm(cast, login):
    client = login(cast.council)
    data = xlsx(AGENCY_HEADER, [["sct", "Sở Công Thương", "", None, None]])

    response = client.post(reverse("blocs:agency_import"), {"file": upload(data)})
    assert response.status_code == 200
    assert response.context["result"].ok
    assert "Sở Công Thương" in response.content.decode()
    assert not Agency.objects.filter(code="sct").exists()

    token = response.context["token"]
    response = client.post(reverse("blocs:agency_import"), {"token": token})
    assert response.status_code == 302
    assert Agency.objects.filter(code="sct").exists()


def test_agency_import_page_shows_every_error(cast, login):
    data = xlsx(AGENCY_HEADER, [["Sai!", "Sở", "", None, None], ["x", "", "", None, None]])
    response = login(cast.council).post(reverse("blocs:agency_import"), {"file": upload(data)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Mã cơ quan không hợp lệ" in page
    assert "Tên cơ quan" in page
    assert response.context["token"] is None


def test_import_page_stale_token(cast, login):
    response = login(cast.council).post(reverse("blocs:agency_import"), {"token": "x"}, follow=True)
    assert "hết hạn" in response.content.decode()


def test_membership_import_page(cast, login, year_2024):
    client = login(cast.council)
    data = xlsx(MEMBER_HEADER, [["khoi1", 2024, "mem", "trưởng khối", 1]])
    response = client.post(reverse("blocs:membership_import"), {"file": upload(data)})
    assert response.context["result"].ok
    client.post(reverse("blocs:membership_import"), {"token": response.context["token"]})
    assert Membership.objects.filter(year=year_2024, agency__code="mem").exists()


@pytest.mark.parametrize(
    "name", ["agency_import", "agency_export", "membership_import", "membership_export"]
)
def test_import_export_pages_are_for_council_staff(cast, login, name):
    assert login(cast.secretariat).get(reverse(f"blocs:{name}")).status_code == 403
    assert login(cast.council).get(reverse(f"blocs:{name}")).status_code == 200


@pytest.mark.parametrize("name", ["agency_export", "membership_export"])
def test_export_wrong_method(cast, login, name):
    assert login(cast.council).post(reverse(f"blocs:{name}")).status_code == 405


def test_export_neutralises_formulas(cast, login):
    services.agency_update(actor=None, agency=cast.member.agency, name="=1+1")
    response = login(cast.council).get(reverse("blocs:agency_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert "'=1+1" in names


def _cells(data: bytes) -> list[list]:
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]


def test_agency_export_import_export_gives_identical_cells(cast, login):
    """Names that a spreadsheet would run as a formula are neutralised in the
    export, and come back from the import exactly as they were: the import
    finds nothing to change, and a second export is cell for cell the first."""
    for i, name in enumerate(["=Sở Một", "+Sở Hai", "-Sở Ba", "@Sở Bốn", "'Sở Năm", "Sở Sáu"]):
        services.agency_create(
            actor=cast.council,
            province=cast.province,
            code=f"rt{i}",
            name=name,
            short_name=name[:2],
        )
    client = login(cast.council)
    first = client.get(reverse("blocs:agency_export")).content

    result = agency_importer.run(first, actor=cast.council, provinces=[cast.province])
    second = client.get(reverse("blocs:agency_export")).content

    assert result.ok, result.error_lines()
    assert {r.values["action"] for r in result.rows} == {"same"}
    assert result.written == 0
    assert Agency.objects.get(code="rt0").name == "=Sở Một"
    assert _cells(second) == _cells(first)
    assert load_workbook(io.BytesIO(first)).active["B2"].data_type != "f"

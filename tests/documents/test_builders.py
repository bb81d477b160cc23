"""The documents of a bloc-year say what the data say, in DOCX and in PDF alike,
diacritics included, on A4 pages with the margins of Decree 30/2020."""

import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from docx import Document
from docx.shared import Mm
from PIL import Image

from awards.documents.builders import (
    build_achievement_report,
    build_draft_decision,
    build_meeting_minutes,
    build_proposal_letter,
    build_score_summary,
    build_vote_count,
    build_year_report,
    documents_for,
)
from awards.models import Meeting
from emulation.documents import render_docx, render_pdf
from emulation.enums import DocumentKind
from tests.documents.conftest import docx_text, pdf_text, squash
from tests.factories import BlocYearFactory, add_member, put_in_phase
from tests.factories.review import FinalScoreFactory

pytestmark = pytest.mark.django_db

DATE = datetime.date(2024, 1, 18)


def both_texts(spec, tmp_path) -> tuple[str, str]:
    return squash(docx_text(render_docx(spec))), squash(pdf_text(render_pdf(spec), tmp_path))


def assert_in_both(expected: list[str], docx: str, pdf: str) -> None:
    for text in expected:
        assert text in docx, f"DOCX lacks {text!r}"
        assert text in pdf, f"PDF lacks {text!r}"


def test_the_registry_lists_every_document_and_one_achievement_report_per_proposed_agency(
    dossier,
):
    entries = documents_for(dossier.bloc_year)

    assert [e.kind for e in entries] == [
        DocumentKind.YEAR_END_REPORT,
        DocumentKind.SCORE_SUMMARY,
        DocumentKind.MEETING_MINUTES,
        DocumentKind.VOTE_COUNT,
        DocumentKind.PROPOSAL_LETTER,
        DocumentKind.DRAFT_DECISION,
        DocumentKind.ACHIEVEMENT_REPORT,
    ]
    assert entries[-1].membership == dossier.memberships[2]
    assert entries[-1].title == "Báo cáo thành tích – Sở Số 2"


def test_proposal_letter_names_the_award_votes_and_score(dossier, tmp_path):
    spec = build_proposal_letter(dossier.bloc_year, number="05/TTr-KTĐ", date=DATE)
    docx, pdf = both_texts(spec, tmp_path)

    assert spec.summary == ("Về việc đề nghị tặng Cờ thi đua của Ủy ban nhân dân tỉnh năm 2023")
    assert_in_both(
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số: 05/TTr-KTĐ",
            "Hội Nghị, ngày 18 tháng 01 năm 2024",
            "TỜ TRÌNH",
            "Về việc đề nghị tặng Cờ thi đua của Ủy ban nhân dân tỉnh năm 2023",
            "Kính gửi: Hội đồng Thi đua – Khen thưởng tỉnh Hội Nghị.",
            "Nghị định số 98/2023/NĐ-CP",
            "Đề nghị tặng Cờ thi đua của Ủy ban nhân dân tỉnh: 1 tập thể.",
            "Sở Số 2",
            "3/4 (75,00%)",
            "Nơi nhận:",
            "TM. KHỐI THI ĐUA",
            "TRƯỞNG KHỐI",
            dossier.conference.heads[0].full_name,
        ],
        docx,
        pdf,
    )
    assert "Sở Số 3" not in docx  # not elected, not proposed


def test_vote_count_gives_the_ballot_figures_votes_and_committee(dossier, tmp_path):
    spec = build_vote_count(dossier.bloc_year, number="02/BB-KTĐ", date=DATE)
    docx, pdf = both_texts(spec, tmp_path)
    document = Document(io.BytesIO(render_docx(spec)))
    figures = next(t for t in document.tables if t.rows[0].cells[0].text == "Số phiếu phát ra")
    votes = next(t for t in document.tables if t.rows[0].cells[-1].text == "Kết quả")

    assert [c.text for c in figures.rows[0].cells] == [
        "Số phiếu phát ra",
        "Số phiếu thu về",
        "Số phiếu hợp lệ",
        "Số phiếu không hợp lệ",
        "Số phiếu trắng",
    ]
    assert [c.text for c in figures.rows[1].cells] == ["4", "4", "4", "0", "0"]
    assert [[c.text for c in row.cells] for row in votes.rows[1:]] == [
        ["1", "Sở Số 2", "3", "75,00%", "Đạt"],
        ["2", "Sở Số 0", "1", "25,00%", "Không đạt"],
        ["3", "Sở Số 1", "0", "0,00%", "Không đạt"],
        ["4", "Sở Số 3", "0", "0,00%", "Không đạt"],
    ]
    heads = dossier.conference.heads
    assert_in_both(
        [
            "BIÊN BẢN KIỂM PHIẾU",
            "I. BAN KIỂM PHIẾU",
            f"1. {heads[1].full_name} – Sở Số 1 – Trưởng ban.",
            f"2. {heads[2].full_name} – Sở Số 2 – Thành viên.",
            "1. Cờ thi đua của Ủy ban nhân dân tỉnh",
            "TRƯỞNG BAN KIỂM PHIẾU",
        ],
        docx,
        pdf,
    )


def test_meeting_minutes_have_attendance_quorum_results_and_conclusions(dossier, tmp_path):
    spec = build_meeting_minutes(dossier.bloc_year, number="01/BB-KTĐ", date=DATE)
    docx, pdf = both_texts(spec, tmp_path)

    assert_in_both(
        [
            "BIÊN BẢN",
            "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2023",
            "Vào hồi 08 giờ 00 phút, ngày 18 tháng 01 năm 2024, tại Hội trường",
            "Hội nghị kết thúc vào hồi 11 giờ 30 phút cùng ngày.",
            "I. THÀNH PHẦN THAM DỰ",
            "- Chủ trì Hội nghị: Chủ tọa.",
            "Đại diện 3",
            "Có mặt",
            "Số đơn vị có mặt hoặc ủy quyền: 4/4",
            "cần ít nhất 3/4 đơn vị (2/3). Hội nghị đủ điều kiện tiến hành.",
            "4/4 đơn vị đã tự chấm điểm",
            "Số phiếu phát ra: 4; số phiếu thu về: 4; số phiếu hợp lệ: 4.",
            "Ngưỡng: từ 50% trở lên (tổng số thành viên)",
            "- Cờ thi đua của Ủy ban nhân dân tỉnh: Sở Số 2.",
            "Hội nghị thống nhất giao Văn phòng soạn thảo hồ sơ.",
            "CHỦ TRÌ",
            "THƯ KÝ",
        ],
        docx,
        pdf,
    )


def test_minutes_put_the_secretary_and_chair_side_by_side_with_names_only_below(dossier, tmp_path):
    Meeting.objects.filter(bloc_year=dossier.bloc_year).update(
        chair="Trần Minh Đức, Chánh Văn phòng UBND tỉnh, Trưởng khối",
        secretary="Lê Thị Hoa, Chuyên viên",
    )

    spec = build_meeting_minutes(dossier.bloc_year, number="01/BB-KTĐ", date=DATE)

    assert [(s.position, s.name, s.detail) for s in spec.signatures] == [
        ("Thư ký", "Lê Thị Hoa", "Chuyên viên"),
        ("Chủ trì", "Trần Minh Đức", "Chánh Văn phòng UBND tỉnh, Trưởng khối"),
    ]
    lines = pdf_text(render_pdf(spec), tmp_path, layout=True).splitlines()
    assert any("THƯ KÝ" in line and "CHỦ TRÌ" in line for line in lines)
    names = [line for line in lines if "Trần Minh Đức" in line and "Lê Thị Hoa" in line]
    assert names and "Chánh" not in names[-1]


def test_score_summary_is_landscape_with_group_columns_and_totals(dossier, tmp_path):
    spec = build_score_summary(dossier.bloc_year, number="03/BTH-KTĐ", date=DATE)
    data = render_docx(spec)
    section = Document(io.BytesIO(data)).sections[0]
    table = Document(io.BytesIO(data)).tables[1]

    assert spec.landscape
    assert abs(section.page_width - Mm(297)) < Mm(0.5)
    assert abs(section.page_height - Mm(210)) < Mm(0.5)
    assert [c.text for c in table.rows[0].cells] == [
        "STT",
        "Đơn vị",
        "Thực hiện nhiệm vụ chuyên môn",
        "Điểm thưởng, điểm trừ",
        "Điểm trừ",
        "Điểm tự chấm",
    ]
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        ["1", "Sở Số 0", "78,5", "5", "0", "83,5"],
        ["2", "Sở Số 1", "73,25", "1", "−1", "74,25"],
        ["3", "Sở Số 2", "80", "10", "0", "90"],
        ["4", "Sở Số 3", "60", "−2,5", "−2,5", "57,5"],
    ]
    pdf = squash(pdf_text(render_pdf(spec), tmp_path))
    for text in ["BẢNG TỔNG HỢP ĐIỂM", "83,5", "74,25", "57,5", "Chưa có kết quả xếp hạng"]:
        assert text in pdf
    width, height = pdf_page_size(render_pdf(spec), tmp_path)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points


def test_score_summary_and_report_show_the_locked_ranking(dossier, tmp_path):
    ranks = [(2, "90.00", 1, False), (0, "83.50", 2, True), (1, "83.50", 2, True)]
    ranks.append((3, "50.00", 4, False))
    for index, total, rank, shared in ranks:
        FinalScoreFactory(
            membership=dossier.memberships[index],
            total=Decimal(total),
            rank=rank,
            shared_rank=shared,
        )

    document = Document(io.BytesIO(render_docx(build_score_summary(dossier.bloc_year))))
    rows = [[c.text for c in row.cells] for row in document.tables[1].rows]
    report = squash(docx_text(render_docx(build_year_report(dossier.bloc_year))))

    assert rows[0][-2:] == ["Điểm thẩm định", "Xếp hạng"]
    assert [(r[1], r[-2], r[-1]) for r in rows[1:]] == [
        ("Sở Số 2", "90", "1"),
        ("Sở Số 0", "83,5", "2 (đồng hạng)"),
        ("Sở Số 1", "83,5", "2 (đồng hạng)"),
        ("Sở Số 3", "50", "4"),
    ]
    assert "Chưa có kết quả xếp hạng" not in report
    assert "2 (đồng hạng)" in report


def test_year_report_assembles_members_scores_votes_and_the_narratives(dossier, tmp_path):
    spec = build_year_report(dossier.bloc_year, number="10/BC-KTĐ", date=DATE)
    docx, pdf = both_texts(spec, tmp_path)

    assert_in_both(
        [
            "BÁO CÁO",
            "Tổng kết công tác thi đua, khen thưởng năm 2023",
            "I. ĐẶC ĐIỂM, TÌNH HÌNH",
            "gồm 4 đơn vị thành viên; năm 2023 do Sở Số 0 làm Trưởng khối, "
            "Sở Số 1 làm Phó Trưởng khối.",
            "Năm 2023, các đơn vị thành viên triển khai nhiệm vụ trong bối cảnh nhiều khó khăn.",
            "II. KẾT QUẢ TRIỂN KHAI CÁC PHONG TRÀO THI ĐUA",
            "III. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA",
            "4/4 đơn vị đã tự chấm điểm",
            "IV. KẾT QUẢ BÌNH XÉT, ĐỀ NGHỊ KHEN THƯỞNG",
            "Cờ thi đua của Ủy ban nhân dân tỉnh",
            "Ưu điểm: các đơn vị hưởng ứng tích cực. Hạn chế: nộp hồ sơ chậm.",
            "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024",
            "Tiếp tục đổi mới nội dung, hình thức thi đua.",
            # A section not written says so, rather than leaving a hole.
            "(Nội dung phần này chưa được Trưởng khối soạn thảo.)",
        ],
        docx,
        pdf,
    )


def test_achievement_report_follows_the_decree_headings_with_the_agencys_data(dossier, tmp_path):
    spec = build_achievement_report(
        dossier.bloc_year, dossier.memberships[2], number="15/BC-SSS", date=DATE
    )
    docx, pdf = both_texts(spec, tmp_path)

    assert spec.issuing_agency == "Sở Số 2"
    assert_in_both(
        [
            "BÁO CÁO THÀNH TÍCH",
            "Đề nghị tặng Cờ thi đua của Ủy ban nhân dân tỉnh năm 2023",
            "I. ĐẶC ĐIỂM, TÌNH HÌNH",
            "Tỷ lệ nữ cán bộ, công chức, người lao động: 62,5%.",
            "II. THÀNH TÍCH ĐẠT ĐƯỢC",
            "Sở Số 2 hoàn thành 100% chỉ tiêu được giao.",
            "Điểm tự chấm: 90 điểm",
            "Hoàn thành xuất sắc nhiệm vụ",
            "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN",
            "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            "125/QĐ-UBND ngày 01/02/2023",
            "THỦ TRƯỞNG ĐƠN VỊ",
            dossier.conference.heads[2].full_name,
        ],
        docx,
        pdf,
    )


def test_draft_decision_has_the_articles_and_the_legal_bases(dossier, tmp_path):
    docx, pdf = both_texts(build_draft_decision(dossier.bloc_year), tmp_path)

    assert_in_both(
        [
            "ỦY BAN NHÂN DÂN TỈNH HỘI NGHỊ",
            "QUYẾT ĐỊNH",
            "Về việc tặng Cờ thi đua của Ủy ban nhân dân tỉnh năm 2023",
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
            "Điều 1. Tặng Cờ thi đua của Ủy ban nhân dân tỉnh năm 2023 cho 1 tập thể",
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
            # 8 × the base salary of 15/01/2024 (1.800.000 đồng)
            "Cờ thi đua của Ủy ban nhân dân tỉnh 14.400.000 đồng/tập thể (8 lần mức lương cơ sở)",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
        ],
        docx,
        pdf,
    )


def test_an_unpublished_vote_proposes_nobody(db, tmp_path):
    from tests.documents.conftest import build_dossier

    dossier = build_dossier(prefix="u", publish=False)

    letter = squash(docx_text(render_docx(build_proposal_letter(dossier.bloc_year))))
    assert "Chưa có kết quả bình xét được công bố" in letter
    assert [e.kind for e in documents_for(dossier.bloc_year)].count(
        DocumentKind.ACHIEVEMENT_REPORT
    ) == 0


def test_documents_show_no_tally_of_a_poll_closed_but_not_published(db):
    """The vote count and the meeting minutes (issued or previewed) show a
    poll's results only once it is published; until then the vote count
    cannot be issued."""
    from tests.documents.conftest import build_dossier

    dossier = build_dossier(prefix="np", publish=False)
    bloc_year = dossier.bloc_year

    specs = [
        build_vote_count(bloc_year, number="1", date=DATE),
        build_meeting_minutes(bloc_year, number="2", date=DATE),
    ]
    missing = {e.kind: e.missing for e in documents_for(bloc_year)}

    for spec in specs:
        document = Document(io.BytesIO(render_docx(spec)))
        assert not [t for t in document.tables if t.rows[0].cells[-1].text == "Kết quả"]
        assert "75,00%" not in squash(docx_text(render_docx(spec)))
    assert missing[DocumentKind.VOTE_COUNT]
    assert missing[DocumentKind.MEETING_MINUTES]


def test_a_bloc_year_without_data_says_what_is_missing(db, tmp_path):
    bloc_year = BlocYearFactory(year__year=2024)
    add_member(bloc_year)

    texts = {
        entry.slug: squash(docx_text(render_docx(entry.build(bloc_year))))
        for entry in documents_for(bloc_year)
    }

    assert "Chưa tổ chức Hội nghị tổng kết" in texts["meeting_minutes"]
    assert "Chưa tổ chức Hội nghị tổng kết" in texts["vote_count"]
    assert "Chưa có kết quả xếp hạng" in texts["score_summary"]
    assert "0/1 đơn vị đã tự chấm điểm" in texts["year_end_report"]
    assert "Chưa có kết quả bình xét được công bố" in texts["proposal_letter"]


@pytest.mark.parametrize(
    "builder",
    [build_year_report, build_meeting_minutes, build_vote_count, build_proposal_letter],
)
def test_portrait_documents_are_a4_with_the_decree_margins(dossier, tmp_path, builder):
    spec = builder(dossier.bloc_year, number="01", date=DATE)
    section = Document(io.BytesIO(render_docx(spec))).sections[0]

    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    width, height = pdf_page_size(render_pdf(spec), tmp_path)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait in points


def pdf_page_size(data: bytes, tmp_path) -> tuple[float, float]:
    path = tmp_path / "size.pdf"
    path.write_bytes(data)
    info = subprocess.run(
        ["/usr/bin/pdfinfo", str(path)], check=True, capture_output=True, text=True
    ).stdout
    line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    parts = line.split()
    return float(parts[2]), float(parts[4])


def test_the_first_pdf_page_rendered_to_an_image_is_not_blank(dossier, tmp_path):
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render_pdf(build_proposal_letter(dossier.bloc_year, date=DATE)))
    subprocess.run(
        [
            "/usr/bin/pdftoppm",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey

    assert image.size[0] < image.size[1]  # portrait
    # Text covers a few percent of a page; a blank or failed render has none.
    assert dark > image.size[0] * image.size[1] * 0.005


def test_the_registry_says_which_documents_cannot_be_issued_yet(dossier):
    unpublished = documents_for(BlocYearFactory(year__year=2024))
    ready = {e.slug: e.missing for e in documents_for(dossier.bloc_year)}

    assert {e.slug for e in unpublished if e.missing} == {
        "score_summary",
        "meeting_minutes",
        "vote_count",
        "proposal_letter",
        "draft_decision",
    }
    # The dossier is voted and published but not ranked.
    assert [slug for slug, missing in ready.items() if missing] == ["score_summary"]


def test_minutes_record_next_years_leadership(dossier):
    from awards.enums import LeadershipMethod
    from awards.services.meeting import next_leadership_set

    next_leadership_set(
        actor=dossier.secretariat,
        meeting=dossier.conference.meeting,
        leader=dossier.memberships[1].agency,
        deputy=dossier.memberships[2].agency,
        method=LeadershipMethod.ROTATION,
    )

    text = squash(docx_text(render_docx(build_meeting_minutes(dossier.bloc_year))))

    assert (
        "Hội nghị thống nhất: năm 2024, Sở Số 1 làm Trưởng khối, Sở Số 2 làm Phó Trưởng khối "
        "(theo thứ tự luân phiên)."
    ) in text


@pytest.mark.parametrize(
    ("date", "law", "decree"),
    [
        (datetime.date(2023, 12, 31), "ngày 26 tháng 11 năm 2003", "91/2017/NĐ-CP"),
        (datetime.date(2024, 1, 1), "06/2022/QH15", "98/2023/NĐ-CP"),
        (datetime.date(2025, 6, 30), "06/2022/QH15", "98/2023/NĐ-CP"),
        (datetime.date(2025, 7, 1), "06/2022/QH15", "152/2025/NĐ-CP"),
    ],
)
def test_the_legal_bases_cited_are_those_in_force_on_the_documents_date(date, law, decree):
    from awards.documents.builders.sources import decree_for, law_for

    assert law in law_for(date, 2023)
    assert decree in decree_for(date, 2023)


def test_registrations_and_targets_appear_in_the_report_and_the_achievement_report(dossier):
    from awards.models import AwardType
    from blocs.enums import Phase, ProgressPeriod
    from blocs.services.registration import (
        registration_set_award_types,
        registration_submit,
        registration_target_add,
        target_progress_report,
    )

    bloc_year, membership = dossier.bloc_year, dossier.memberships[2]
    head = dossier.conference.heads[2]
    put_in_phase(bloc_year, Phase.REGISTRATION)
    target = registration_target_add(
        actor=head,
        membership=membership,
        indicator="Tỷ lệ hồ sơ giải quyết đúng hạn",
        unit="%",
        target_value=Decimal("95"),
        today=datetime.date(2023, 1, 1),
    )
    registration_set_award_types(
        actor=head,
        membership=membership,
        award_types=[AwardType.objects.get(code="co_tinh")],
        today=datetime.date(2023, 1, 1),
    )
    registration_submit(actor=head, membership=membership, today=datetime.date(2023, 1, 1))
    put_in_phase(bloc_year, Phase.IN_PROGRESS)
    target_progress_report(
        actor=head,
        membership=membership,
        period=ProgressPeriod.YEAR_END,
        values={target.pk: (Decimal("98.5"), "")},
    )
    put_in_phase(bloc_year, Phase.VOTING)

    report = squash(docx_text(render_docx(build_year_report(bloc_year))))
    achievement = render_docx(build_achievement_report(bloc_year, membership))
    table = next(
        t for t in Document(io.BytesIO(achievement)).tables if t.rows[0].cells[1].text == "Chỉ tiêu"
    )

    assert "1/4 đơn vị đã đăng ký thi đua năm 2023." in report
    assert "Cờ thi đua của Ủy ban nhân dân tỉnh" in report
    assert [c.text for c in table.rows[1].cells] == [
        "1",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "%",
        "95",
        "98,5",
        "103,68%",
    ]
    assert "3. Kết quả thực hiện các chỉ tiêu thi đua đã đăng ký" in docx_text(achievement)


def test_the_pdf_sets_all_vietnamese_text_in_the_times_compatible_font(dossier, tmp_path):
    """No glyph may fall back to another typeface (DejaVu): Liberation Serif 1.x
    (Debian's fonts-liberation) lacks ơ, ư, ạ, ố…; Liberation Serif 2
    (fonts-liberation2) has them and keeps Times New Roman's metrics."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(render_pdf(build_proposal_letter(dossier.bloc_year, date=DATE)))
    listing = subprocess.run(
        ["/usr/bin/pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]

    assert names
    strays = [n for n in names if "Liberation-Serif" not in n and "TimesNewRoman" not in n]
    assert not strays, f"{strays}: install fonts-liberation2 (apt-get install fonts-liberation2)"

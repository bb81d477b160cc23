import io

import pytest
from django.core.management import CommandError, call_command


def test_explain_eligibility_prints_the_matrix_with_reasons(cast, rate):
    rate(cast.member.agency, {2022: "excellent", 2023: "good"})
    out = io.StringIO()
    call_command("explain_eligibility", year=2023, bloc="khoi1", award=["bk_ubnd"], stdout=out)
    text = out.getvalue()
    assert "Nghị định 98/2023/NĐ-CP" in text
    assert "bk_ubnd" in text
    assert "[✗] Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in text
    assert "năm 2023 xếp loại “Hoàn thành tốt nhiệm vụ”" in text


def test_explain_eligibility_in_english(cast, rate):
    out = io.StringIO()
    call_command(
        "explain_eligibility", "--year", "2023", "--bloc", "khoi1", "--language", "en", stdout=out
    )
    assert "Not eligible: " in out.getvalue()
    assert "no rating recorded for 2022" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2023", "--bloc", "khong"], "No bloc-year"),
        (["--year", "2023", "--bloc", "khoi1", "--award", "xx"], "Unknown award"),
    ],
)
def test_explain_eligibility_refuses_unknown_input(cast, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("explain_eligibility", *args, stdout=io.StringIO())

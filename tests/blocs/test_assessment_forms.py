"""The autosave form: what a person types becomes the value the service takes,
or a Vietnamese reason, by the scoring table's own rules."""

from decimal import Decimal

import pytest

from blocs.forms.assessment import ItemSaveForm


@pytest.fixture
def criteria(window):
    return window.criteria


def clean(criterion, **data):
    form = ItemSaveForm({"version": "3", **data}, criterion=criterion)
    return form, form.is_valid()


@pytest.mark.parametrize(
    ("typed", "value"),
    [("7,5", Decimal("7.5")), (" 8.25 ", Decimal("8.25")), ("0", Decimal("0")), ("", None)],
)
def test_a_score_is_cleaned_to_a_decimal(criteria, typed, value):
    form, valid = clean(criteria["1.1"], field="score", score=typed)

    assert valid
    assert form.value == value
    assert form.cleaned_data["version"] == 3


@pytest.mark.parametrize(
    ("code", "typed", "message"),
    [
        ("1.1", "10,25", "Điểm không được vượt quá mức tối đa 10 điểm."),
        ("1.1", "3,1", "Điểm phải là bội số của 0,25."),
        ("1.1", "1e3", "Điểm không được vượt quá mức tối đa 10 điểm."),
        ("1.1", "NaN", "“NaN” không phải là số."),
        ("Tr.1", "-1", "số dương"),
    ],
)
def test_a_score_outside_the_criterions_rules_is_refused(criteria, code, typed, message):
    form, valid = clean(criteria[code], field="score", score=typed)

    assert not valid
    assert message in form.errors["score"][0]


@pytest.mark.parametrize(("data", "value"), [({"not_applicable": "on"}, True), ({}, False)])
def test_not_applicable_is_a_boolean(criteria, data, value):
    form, valid = clean(criteria["1.2"], field="not_applicable", **data)

    assert valid
    assert form.value is value


def test_the_note_is_stripped_and_bounded(criteria):
    form, valid = clean(criteria["1.1"], field="note", note="  Đã rà soát  ")
    assert valid and form.value == "Đã rà soát"

    form, valid = clean(criteria["1.1"], field="note", note="x" * 5001)
    assert not valid and "Ghi chú quá dài" in form.errors["note"][0]


def test_only_the_field_being_saved_is_read(criteria):
    form, valid = clean(criteria["1.1"], field="note", note="Ghi chú", score="không phải số")

    assert valid
    assert form.value == "Ghi chú"


@pytest.mark.parametrize(
    "data",
    [
        {"field": "rank", "version": "3"},
        {"field": "score", "score": "5", "version": ""},
        {"field": "score", "score": "5", "version": "-1"},
    ],
)
def test_a_tampered_save_asks_to_reload(criteria, data):
    form = ItemSaveForm(data, criterion=criteria["1.1"])

    assert not form.is_valid()
    assert form.row_errors == [
        "Không lưu được thay đổi (lỗi kết nối hoặc không có quyền). Vui lòng tải lại trang."
    ]

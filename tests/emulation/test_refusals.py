"""How a view says no: one helper for the text of a refusal, one for a 403."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from emulation.refusals import refusal_text, require, require_council


class _Form(forms.Form):
    name = forms.CharField()
    count = forms.IntegerField()


def test_refusal_text_joins_every_message_of_a_service_refusal():
    refusal = ValidationError(["Hạn đăng ký đã qua.", "Liên hệ Thường trực Khối."])

    assert refusal_text(refusal) == "Hạn đăng ký đã qua. Liên hệ Thường trực Khối."


def test_refusal_text_joins_the_errors_of_a_form():
    form = _Form({"name": "", "count": "x"})
    form.is_valid()

    text = refusal_text(form)

    assert str(form.errors["name"][0]) in text
    assert str(form.errors["count"][0]) in text


def test_require_answers_403_for_a_permission_the_user_lacks(cast):
    with pytest.raises(PermissionDenied):
        require(cast.officer, "blocs.run_review", cast.bloc_year)
    require(cast.secretariat, "blocs.run_review", cast.bloc_year)


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [("council", True), ("other_council", True), ("admin", True), ("secretariat", False)],
)
def test_require_council(cast, kind, allowed):
    user = getattr(cast, kind)
    if allowed:
        require_council(user)
    else:
        with pytest.raises(PermissionDenied):
            require_council(user)

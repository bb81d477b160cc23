from decimal import Decimal

from django.template import Context, Template

from blocs import services
from blocs.enums import Phase, ProgressPeriod
from tests.factories import put_in_phase
from tests.factories.registration import RegistrationTargetFactory


def test_targets_summary_tag_shows_targets_beside_the_assessment(cast, django_assert_num_queries):
    target = RegistrationTargetFactory(
        actor=cast.officer, membership=cast.member, indicator="Tỷ lệ hồ sơ giải quyết đúng hạn"
    )
    services.registration_submit(actor=cast.head, membership=cast.member)
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    services.target_progress_report(
        actor=cast.officer,
        membership=cast.member,
        period=ProgressPeriod.YEAR_END,
        values={target.pk: (Decimal("97.5"), "Còn 2 hồ sơ trễ hạn")},
    )
    template = Template("{% load registration_tags %}{% targets_summary membership %}")

    with django_assert_num_queries(1):
        html = template.render(Context({"membership": cast.member}))

    assert "Tỷ lệ hồ sơ giải quyết đúng hạn" in html
    assert "97,50%" in html
    assert "Còn 2 hồ sơ trễ hạn" in html
    assert "text-danger" in html  # below the target

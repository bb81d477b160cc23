import factory

from blocs.enums import MemberRole
from blocs.models import Agency, Bloc, BlocYear, EmulationYear, Membership, Province
from emulation.models import User


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"p{n}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"ag{n}")
    name = factory.Sequence(lambda n: f"Sở Thử Nghiệm {n}")
    short_name = ""


class BlocFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bloc

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"bloc{n}")
    name = factory.Sequence(lambda n: f"Khối thi đua số {n}")


class EmulationYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmulationYear
        django_get_or_create = ("province", "year")

    province = factory.SubFactory(ProvinceFactory)
    year = 2023


class BlocYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlocYear

    bloc = factory.SubFactory(BlocFactory)
    year = factory.SubFactory(
        EmulationYearFactory, province=factory.SelfAttribute("..bloc.province")
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người Dùng {n}")
    password = factory.django.Password("demo-2023")


def add_member(bloc_year: BlocYear, agency: Agency | None = None, role=MemberRole.MEMBER, order=0):
    """A membership, with the denormalised year kept consistent."""
    if agency is None:
        agency = AgencyFactory(province=bloc_year.bloc.province)
    return Membership.objects.create(
        bloc_year=bloc_year,
        year_id=bloc_year.year_id,
        agency=agency,
        role=role,
        rotation_order=order,
    )


def put_in_phase(bloc_year: BlocYear, phase) -> BlocYear:
    """Arrange a test world: put the bloc-year at ``phase`` directly. The
    application itself moves a phase only through ``bloc_year_advance``."""
    BlocYear.objects.filter(pk=bloc_year.pk).update(phase=phase)
    bloc_year.phase = phase
    return bloc_year


# Who in the test cast (tests/conftest.py ``cast``) may do what only the
# province's council staff may do: they and the administrators, nobody else.
COUNCIL_ONLY = [
    ("council", True),
    ("admin", True),
    ("other_council", False),
    ("secretariat", False),
    ("head", False),
    ("outsider", False),
]

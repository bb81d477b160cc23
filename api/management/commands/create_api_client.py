from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.services import api_client_create
from blocs.models import Province


class Command(BaseCommand):
    help = (
        "Create an API client and print its token (once: only a digest is kept). "
        "--province CODE scopes it to one province; --national lets it see every province."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="a name for the calling system")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--province", help="the code of the only province it sees")
        scope.add_argument(
            "--national", action="store_true", help="sees every province (the Ministry's view)"
        )
        parser.add_argument(
            "--write",
            action="store_true",
            help="may also send awards decided outside the application",
        )

    def handle(self, *args, name, province, national, write, **options):
        found = None
        if not national:
            found = Province.objects.filter(code=province).first()
            if found is None:
                raise CommandError(f"No province with the code {province!r}.")
        try:
            client, token = api_client_create(
                actor=None, name=name, province=found, can_write=write
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        scope = f"province {found.code}" if found else "national"
        rights = "read and write" if write else "read only"
        self.stderr.write(f"API client {client.name!r} ({scope}, {rights}). Its token, shown once:")
        self.stdout.write(token)

from django.core.management.base import BaseCommand, CommandError

from api.models import ApiClient
from api.services import api_client_revoke


class Command(BaseCommand):
    help = "Revoke an API client's token: every later call with it is refused (401)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)

    def handle(self, *args, name, **options):
        client = ApiClient.objects.filter(name=name).first()
        if client is None:
            raise CommandError(f"No API client named {name!r}.")
        api_client_revoke(actor=None, client=client)
        self.stdout.write(f"API client {name!r} revoked.")

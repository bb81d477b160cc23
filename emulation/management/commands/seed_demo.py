from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string

from emulation.demo import STEPS, DemoContext
from emulation.figures import figures_changed


class Command(BaseCommand):
    help = (
        "Load the demo: the advisory bloc (tmth) and its agencies, years and "
        "accounts (password demo-2023). Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off (never on a production database).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuses to run when DEBUG is off; pass --force if this "
                "really is a demonstration database."
            )
        with translation.override("vi"):
            # Without the compiled catalogue every text the services write
            # (document titles, reasons, notices) would be stored in English.
            if translation.gettext("Emulation covenant") == "Emulation covenant":
                raise CommandError(
                    "The Vietnamese catalogue is not compiled, so the demo's generated "
                    "texts would be stored in English. Run `make messages` (pybabel "
                    "compile --domain=django --directory=locale) first."
                )
        ctx = DemoContext(stdout=self.stdout)
        with translation.override("vi"), transaction.atomic():
            for path in STEPS:
                module = import_string(path + ".run")
                self.stdout.write(f"- {path}")
                module(ctx)
            # Some steps write without the services: the country's figures kept
            # in the cache (emulation.figures) are renewed as the services would.
            figures_changed()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

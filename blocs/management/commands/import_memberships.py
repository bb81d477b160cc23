from blocs.importers import memberships
from blocs.management.commands._import_base import ImportCommand


class Command(ImportCommand):
    help = (
        "Import bloc memberships from an .xlsx file (columns: bloc code, year, agency code, "
        "role, rotation order). Prints every row's errors and exits non-zero on an invalid "
        "file; nothing is written unless every row is valid."
    )
    importer = memberships
    what = "import_memberships"

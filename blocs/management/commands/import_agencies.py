from blocs.importers import agencies
from blocs.management.commands._import_base import ImportCommand


class Command(ImportCommand):
    help = (
        "Import agencies from an .xlsx file (columns: agency code, name, short name, "
        "active from, active until, province code). Prints every row's errors and exits "
        "non-zero on an invalid file; nothing is written unless every row is valid."
    )
    importer = agencies
    what = "import_agencies"

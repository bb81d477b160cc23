"""The documents of a bloc-year's dossier: what they say (builders reading the
blocs' and the awards' data), the secretariat's narrative sections, issuing a
dossier document, its dashboard task and the download of issued versions.

Rendering (the spec, DOCX and PDF) and the storage of issued versions are the
core's: ``emulation.documents``."""

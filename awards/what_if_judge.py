"""The seam between the what-if page and the engine: ``judge_cases(data)``
takes the input of ``check_eligibility --format json`` and returns its
output, without writing to the database; ``WhatIfError`` says what is wrong
with the input.

The engine's own pure what-if (``awards.what_if``) is used when it exists;
until then, an interim judge on the current engine.
"""

from __future__ import annotations

import importlib

try:
    _engine = importlib.import_module("awards.what_if")
except ModuleNotFoundError:
    _engine = importlib.import_module("awards.what_if_interim")

judge_cases = _engine.judge_cases
WhatIfError = _engine.WhatIfError
INTERIM = _engine.__name__ == "awards.what_if_interim"

__all__ = ["INTERIM", "WhatIfError", "judge_cases"]

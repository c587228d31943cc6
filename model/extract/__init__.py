"""Reading new documents for the actors' stated positions (`sim extract`): sentences, who
speaks, on what issue, what kind of stance, and how it stands against the scenario's coding."""

from __future__ import annotations

import os

from model.extract.documents import DocumentError, read_documents
from model.extract.find import Finding, extract
from model.extract.status import set_against
from model.scenario.types import Scenario


def extract_documents(scenario: Scenario, paths: list[str | os.PathLike[str]]) -> list[Finding]:
    """The findings in the documents at `paths`, set against the scenario; DocumentError for a
    document that cannot be read."""
    return set_against(extract(scenario, read_documents(paths)), scenario)


__all__ = ["DocumentError", "Finding", "extract_documents"]

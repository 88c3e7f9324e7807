"""The official standards as data: ``catalog/`` loaded and validated.

Split in three: ``model`` (the typed dataclasses), ``loader`` (reading the TOML files into them:
``load()``, ``check()``, ``catalog_dir()``) and ``checks`` (the problems found and the checks
across files).  Everything is re-exported here, so ``from jiaarchive.standards import load``
and ``standards.Scoresheet`` keep working.
"""

from __future__ import annotations

from .checks import KIND_ERROR, KIND_OFFICIAL, CheckResult, Problem, SheetSummary, format_check
from .loader import catalog_dir, check, clear_cache, load
from .model import (
    CODE_RE, MONTH_DAY_RE, NOTE_RULES, SHEET_ID_RE, Catalogue, CatalogueNote, Document, Entry, FormField, Grade,
    InspectionStep, Material, Prerequisite, RegistrationForm, RetentionPeriod, ScoreItem, Scoresheet, SheetMapping,
    Standard, StandardItem, Standards, Threshold, VetoRule, Volume, Window,
)

__all__ = [
    "CODE_RE", "KIND_ERROR", "KIND_OFFICIAL", "MONTH_DAY_RE", "NOTE_RULES", "SHEET_ID_RE", "Catalogue",
    "CatalogueNote", "CheckResult", "Document", "Entry", "FormField", "Grade", "InspectionStep", "Material",
    "Prerequisite", "Problem", "RegistrationForm", "RetentionPeriod", "ScoreItem", "Scoresheet", "SheetMapping",
    "SheetSummary", "Standard", "StandardItem", "Standards", "Threshold", "VetoRule", "Volume", "Window",
    "catalog_dir", "check", "clear_cache", "format_check", "load",
]

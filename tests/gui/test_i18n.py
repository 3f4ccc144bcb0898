"""Translations are complete, current, compiled and loaded.

- every French message in every `translations/*_fr.ts` is translated and finished,
  and keeps the source's placeholders (%1, %n);
- every string the GUI code marks for translation (self.tr / translate) is in
  some .ts file: lupdate run now over app/gui finds nothing new;
- the .qm files are built from the .ts and the app really speaks French.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from app.gui.i18n import (
    ROOT,
    TRANSLATIONS_DIR,
    _pyside_tool,
    ensure_compiled,
    install_translators,
    resolve_language,
)

FR_FILES = sorted(TRANSLATIONS_DIR.glob("*_fr.ts"))
PLACEHOLDER = re.compile(r"%(?:\d+|n)")


def messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts).getroot()
    found = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.append((name, message.findtext("source") or "", message))
    return found


def test_there_are_french_sources() -> None:
    for group in ("wizard", "main", "messages"):
        assert TRANSLATIONS_DIR / f"{group}_fr.ts" in FR_FILES
        assert (TRANSLATIONS_DIR / f"{group}_en.ts").is_file()


@pytest.mark.parametrize("ts", FR_FILES, ids=lambda p: p.name)
def test_every_french_message_is_translated_and_finished(ts: Path) -> None:
    problems = []
    for context, source, message in messages(ts):
        translation = message.find("translation")
        assert translation is not None
        kind = translation.get("type")
        if kind in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{context}: {source!r} is {kind}")
            continue
        forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
        if not all(f.strip() for f in forms):
            problems.append(f"{context}: {source!r} has no French translation")
            continue
        for form in forms:
            wanted = set(PLACEHOLDER.findall(source)) - (
                {"%n"} if message.get("numerus") else set()
            )
            if not wanted <= set(PLACEHOLDER.findall(form)):
                problems.append(f"{context}: {source!r} loses a placeholder in {form!r}")
    assert not problems, "\n".join(problems)


def test_translation_sources_are_up_to_date(tmp_path: Path) -> None:
    """lupdate over every GUI module and app/messages.py finds no string missing from the .ts."""
    tool = _pyside_tool("lupdate")
    assert tool is not None, "pyside6-lupdate is missing"
    gui = (ROOT / "app" / "gui").rglob("*.py")
    sources = sorted(str(p) for p in [*gui, ROOT / "app" / "messages.py"])
    fresh = tmp_path / "fresh_fr.ts"
    subprocess.run(
        [*tool, *sources, "-locations", "none", "-ts", str(fresh)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    known = {(c, s) for ts in TRANSLATIONS_DIR.glob("*.ts") for c, s, _ in messages(ts)}
    missing = sorted({(c, s) for c, s, _ in messages(fresh)} - known)
    assert not missing, (
        "strings missing from translations/*.ts (run `python -m app.gui.i18n update`, add new "
        "modules to a group in app/gui/i18n.py if needed, then translate):\n"
        + "\n".join(f"{c}: {s!r}" for c, s in missing)
    )


def test_qm_files_are_built_and_french_is_spoken(tmp_path: Path, use_language: object) -> None:
    built = ensure_compiled(TRANSLATIONS_DIR, tmp_path)
    assert {p.name for p in built} >= {"wizard_fr.qm", "wizard_en.qm"}
    assert install_translators("fr") == "fr"
    translate = QCoreApplication.translate
    assert translate("WelcomePage", "Welcome to Coffre") == "Bienvenue dans Coffre"
    # Qt's own strings (standard buttons) come from qtbase_fr.
    assert translate("QPlatformTheme", "Cancel") == "Annuler"
    assert install_translators("en") == "en"
    assert translate("WelcomePage", "Welcome to Coffre") == "Welcome to Coffre"


def test_language_follows_the_system_by_default() -> None:
    assert (
        resolve_language("system", QLocale(QLocale.Language.French, QLocale.Country.Canada)) == "fr"
    )
    assert (
        resolve_language("system", QLocale(QLocale.Language.German, QLocale.Country.Germany))
        == "en"
    )
    assert resolve_language("en", QLocale(QLocale.Language.French)) == "en"


def test_counts_use_qt_plural_forms_in_french_and_english(use_language: object) -> None:
    translate = QCoreApplication.translate
    install_translators("fr")
    assert translate("FolderStatusWidget", "%n item(s) examined", "", 1) == "1 élément examiné"
    assert translate("FolderStatusWidget", "%n item(s) examined", "", 2) == "2 éléments examinés"
    held = (
        "Syncing would delete %n file(s). Nothing was deleted: open Coffre to confirm or keep them."
    )
    assert translate("Notifier", held, "", 1).startswith(
        "La synchronisation supprimerait 1 fichier."
    )
    assert translate("Notifier", held, "", 40).startswith(
        "La synchronisation supprimerait 40 fichiers."
    )
    install_translators("en")
    assert translate("FolderStatusWidget", "%n item(s) examined", "", 1) == "1 item examined"
    assert translate("FolderStatusWidget", "%n item(s) examined", "", 3) == "3 items examined"

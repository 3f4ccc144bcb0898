"""The recovery sheet: the recovery key on paper, printed or saved as PDF with Qt's printing.

The sheet says which vault the key opens (storage address, vault id, the folder
it was created for), when it was made, and what to do with it: keep it away from
the computer, never send it by e-mail, and how to use it when the passphrase is
forgotten. `QTextDocument` lays it out; `QPdfWriter` (QtGui) writes the PDF and
`QPrinter` (QtPrintSupport) prints it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class SheetFacts:
    recovery_key: str = field(repr=False)
    store: str  # the printable address (no secret in it)
    vault_id: str
    folder: str
    made_on: date


translate = QCoreApplication.translate


def sheet_document(facts: SheetFacts) -> QTextDocument:
    e = html.escape
    rows = [
        (translate("RecoverySheet", "Storage"), facts.store),
        (translate("RecoverySheet", "Vault identifier"), facts.vault_id),
        (translate("RecoverySheet", "Folder it was created for"), facts.folder),
        (translate("RecoverySheet", "Date"), facts.made_on.strftime("%d/%m/%Y")),
    ]
    table = "".join(
        f"<tr><td><b>{e(name)}</b></td><td>{e(value)}</td></tr>" for name, value in rows
    )
    steps = [
        translate(
            "RecoverySheet",
            "Keep this sheet in a safe place away from the computer (a locked drawer, a safe). "
            "Anyone who has the key can read every file in the vault.",
        ),
        translate(
            "RecoverySheet",
            "Never send it by e-mail, never photograph it, never store it in the vault.",
        ),
        translate(
            "RecoverySheet",
            "If the passphrase is forgotten: in Coffre, choose “Forgot your passphrase?” "
            "and type this key, then choose a new passphrase. On the command line: "
            "coffre sync --folder FOLDER --recovery-key-file FILE.",
        ),
        translate(
            "RecoverySheet",
            "The key stays valid after a passphrase change, until a new key is made.",
        ),
    ]
    title = translate("RecoverySheet", "Coffre recovery key")
    purpose = translate(
        "RecoverySheet", "This key opens the vault below if its passphrase is forgotten."
    )
    what_to_do = translate("RecoverySheet", "What to do with this sheet")
    body = (
        f"<h1>{e(title)}</h1><p>{e(purpose)}</p>"
        '<p style="font-family: monospace; font-size: 20pt; font-weight: bold;">'
        f"{e(facts.recovery_key)}</p>"
        f'<table cellpadding="4">{table}</table>'
        f"<h2>{e(what_to_do)}</h2>"
        "<ol>" + "".join(f"<li>{e(step)}</li>" for step in steps) + "</ol>"
    )
    doc = QTextDocument()
    doc.setHtml(body)
    doc.setMetaInformation(
        QTextDocument.MetaInformation.DocumentTitle, translate("RecoverySheet", "Recovery key")
    )
    return doc


def save_pdf(facts: SheetFacts, path: str) -> None:
    """Write the sheet as an A4 PDF at `path`."""
    writer = QPdfWriter(path)
    writer.setTitle(translate("RecoverySheet", "Coffre recovery key"))
    writer.setCreator("Coffre")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(20, 20, 20, 20),
            QPageLayout.Unit.Millimeter,
        )
    )
    sheet_document(facts).print_(writer)


def print_sheet(facts: SheetFacts, parent: QWidget | None = None) -> bool:
    """Show the system print dialog and print the sheet; False if the person cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(translate("RecoverySheet", "Coffre recovery key"))
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    sheet_document(facts).print_(printer)
    return True

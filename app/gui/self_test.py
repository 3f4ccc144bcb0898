"""`coffre-app --self-test`: start Qt, load translations and policy, show a window, quit.

What an installer test (and IT, after a deployment) runs to know that the app
starts on this machine: the Qt platform plugin loads, the translations are
found, the policy is read. It prints one line per check and exits 0 when all
passed, 1 otherwise, within a few seconds; nothing is configured or synced.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, qVersion
from PySide6.QtWidgets import QApplication, QLabel

from app.gui.i18n import install_translators
from app.policy.sources import load_policy

SHOW_MS = 200


def run_self_test(qt_app: QApplication, language: str = "fr") -> int:
    lang = install_translators(language)
    translated = QApplication.translate("SettingsDialog", "Coffre settings")
    print(f"qt: {qt_app.platformName()} platform, Qt {qVersion()}")
    print(f"translations: {lang}: {translated!r}")
    policy = load_policy()
    state = "none" if not policy.source else ("broken" if policy.broken else "in force")
    print(f"policy: {state}{f' ({policy.source})' if policy.source else ''}")
    label = QLabel("Coffre")
    label.show()
    seen: list[bool] = []

    def check_and_quit() -> None:
        seen.append(label.isVisible() and label.width() > 0)
        qt_app.quit()

    QTimer.singleShot(SHOW_MS, check_and_quit)
    qt_app.exec()
    label.close()
    shown = bool(seen) and seen[0]
    print(f"window: {'shown' if shown else 'NOT shown'}")
    ok = shown and (lang != "fr" or translated != "Coffre settings")
    print("self-test: " + ("ok" if ok else "FAILED"))
    return 0 if ok else 1

"""`coffre diagnostics`: a support archive with versions, policy, states and logs, and
no passphrase, key, credential, file or folder name, or content in clear."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from app.logs import LOG_FILE
from tests.e2e.conftest import cli_env, run_cli

PASSPHRASE = "phrase-secrete-Jv5 cheval batterie agrafe"
FOLDER = "Dossier-Confidentiel-Xq7"
FILE = "rapport-salaires-Zk9.txt"
CONTENT = "CONTENU-SECRET-Wm3"
DEVICE = "poste-de-Mme-Durand-Rt2"


def test_archive_has_the_facts_and_nothing_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = cli_env(home, PASSPHRASE)
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"settings": {"log_level": "debug", "upload_limit_kib_s": 64}}))
    env["COFFRE_POLICY_FILE"] = str(policy)
    folder = tmp_path / FOLDER
    store = tmp_path / "store"
    init = run_cli(
        ["init", "--store", str(store), "--folder", str(folder), "--device-name", DEVICE], env=env
    )
    recovery = init.stdout.split("shown only once):")[1].split()[0]
    (folder / "sous-dossier-Hb4").mkdir()
    (folder / "sous-dossier-Hb4" / FILE).write_text(CONTENT)
    run_cli(["sync", "--folder", str(folder)], env=env)
    # A log line naming the file, as an error about it would (the scrubber must catch it).
    log = home / "logs" / LOG_FILE
    assert log.is_file()
    with log.open("a", encoding="utf-8") as f:
        f.write(f"2026-01-01 WARNING test: {folder}/sous-dossier-Hb4/{FILE}: permission denied\n")
        f.write(f"2026-01-01 WARNING test: sous-dossier-Hb4/{FILE} changed while read\n")
    out = tmp_path / "support.zip"
    proc = run_cli(["diagnostics", "--output", str(out)], env=env)
    assert "Wrote" in proc.stdout

    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        texts = {n: archive.read(n).decode("utf-8") for n in names}
    assert {"summary.json", "policy.json", f"logs/{LOG_FILE}"} <= set(names)
    summary = json.loads(texts["summary.json"])
    assert summary["versions"]["coffre"]
    [state] = summary["folders"]
    assert state["files"] == 1 and state["store_kind"] == "folder"
    assert json.loads(texts["policy.json"])["settings"]["upload_limit_kib_s"]["value"] == 64
    assert "permission denied" in texts[f"logs/{LOG_FILE}"]  # the log is there, scrubbed
    everything = "\n".join(texts.values()) + "\n".join(names)
    for private in (PASSPHRASE, FOLDER, FILE, CONTENT, DEVICE, "sous-dossier-Hb4", recovery):
        assert private not in everything, private
    raw = out.read_bytes()
    for private in (FOLDER, FILE, CONTENT):
        assert private.encode() not in raw

"""The policy schema and the files generated from it: current, well-formed, complete."""

from __future__ import annotations

import json
import plistlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from app.policy import generate
from app.policy.schema import BY_NAME, SETTINGS, USER_SETTINGS
from app.settings import AppSettings

ROOT = Path(__file__).resolve().parents[1]
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
ADMX = ROOT / "packaging/windows/admx/coffre.admx"
ADMLS = {
    "en": ROOT / "packaging/windows/admx/en-US/coffre.adml",
    "fr": ROOT / "packaging/windows/admx/fr-FR/coffre.adml",
}

REQUIRED = {
    "store_url", "allowed_stores", "default_folder", "disable_custom_folder",
    "hide_setup_wizard", "start_at_login", "upload_limit_kib_s", "download_limit_kib_s",
    "pause_on_metered", "pause_on_battery_saver", "ignore_patterns", "mass_delete_min_files",
    "min_free_disk_mib", "language", "proxy_mode", "proxy_url", "personal_vaults_allowed",
    "recovery_public_key", "directory_url", "directory_signing_key", "log_level",
}  # fmt: skip


def test_generated_files_match_the_schema() -> None:
    assert generate.drifted(ROOT) == [], "run: python -m app.policy.generate"


def test_drift_is_detected(tmp_path: Path) -> None:
    for path, text in generate.expected(ROOT).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    assert generate.drifted(tmp_path) == []
    adml = tmp_path / "packaging/windows/admx/fr-FR/coffre.adml"
    adml.write_text(adml.read_text(encoding="utf-8").replace("Adresse", "Adrese"), "utf-8")
    assert generate.drifted(tmp_path) == [Path("packaging/windows/admx/fr-FR/coffre.adml")]


def test_schema_lists_every_setting_the_issue_asks_for_and_explains_each() -> None:
    assert set(BY_NAME) >= REQUIRED
    for s in SETTINGS:
        assert s.en.strip() and s.fr.strip() and s.title_en and s.title_fr, s.name
        assert s.en != s.fr, s.name
        if s.kind == "int":
            assert s.minimum is not None and s.maximum is not None
            assert s.minimum <= s.default <= s.maximum
        if s.kind == "enum":
            assert s.default in s.choices


def test_app_settings_take_their_defaults_from_the_schema() -> None:
    defaults = AppSettings()
    assert set(USER_SETTINGS) == {f for f in AppSettings.__dataclass_fields__}
    for name in USER_SETTINGS:
        assert getattr(defaults, name) == BY_NAME[name].default, name


def _strings(root: ET.Element) -> set[str]:
    return {e.get("id", "") for e in root.iterfind(".//p:stringTable/p:string", NS)}


def test_admx_and_adml_are_consistent_xml() -> None:
    admx = ET.parse(ADMX).getroot()
    admls = {lang: ET.parse(path).getroot() for lang, path in ADMLS.items()}
    policies = admx.findall(".//p:policies/p:policy", NS)
    names = {p.get("name") for p in policies}
    lockable = {s.name for s in SETTINGS if s.lockable}
    assert names == set(BY_NAME) | {f"{n}_recommended" for n in lockable}
    categories = {c.get("name") for c in admx.iterfind(".//p:categories/p:category", NS)}
    text = ADMX.read_text(encoding="utf-8")
    used_strings = set(re.findall(r"\$\(string\.([^)]+)\)", text))
    for lang, adml in admls.items():
        missing = used_strings - _strings(adml)
        assert not missing, (lang, missing)
    presentations = {
        lang: {p.get("id"): p for p in adml.iterfind(".//p:presentationTable/p:presentation", NS)}
        for lang, adml in admls.items()
    }
    for policy in policies:
        name = policy.get("name", "")
        setting = BY_NAME[name.removesuffix("_recommended")]
        assert policy.find("p:parentCategory", NS).get("ref") in categories  # type: ignore[union-attr]
        key = policy.get("key", "")
        recommended = name.endswith("_recommended")
        assert key == (generate.RECOMMENDED_KEY if recommended else generate.POLICY_KEY)
        elements = policy.find("p:elements", NS)
        if setting.kind == "bool":
            assert elements is None and policy.get("valueName") == setting.name
            assert policy.get("presentation") is None
            continue
        assert elements is not None and len(elements) == 1
        element = elements[0]
        tag = element.tag.split("}")[1]
        assert (
            tag
            == {"int": "decimal", "string": "text", "list": "list", "enum": "enum"}[setting.kind]
        )
        assert policy.get("presentation") == f"$(presentation.{name})"
        for lang in admls:
            shown = presentations[lang].get(name)
            assert shown is not None, (lang, name)
            refs = [e.get("refId") for e in shown]
            assert refs == [element.get("id")], (lang, name)
        if setting.kind == "list":  # numbered values 1, 2, 3 (what the registry reader sorts)
            assert element.get("valuePrefix") == "" and element.get("key") == f"{key}\\{name}"
        if setting.kind == "enum":
            values = [v.text for v in element.iterfind(".//p:string", NS)]
            assert values == list(setting.choices)


def test_json_schema_accepts_the_example_and_names_every_setting() -> None:
    schema = json.loads((ROOT / "packaging/linux/policy.schema.json").read_text("utf-8"))
    props = schema["properties"]["settings"]["properties"]
    assert set(props) == set(BY_NAME)
    example = json.loads((ROOT / "packaging/linux/policy.example.json").read_text("utf-8"))
    from app.policy.model import parse_policy

    policy = parse_policy(example, source="example")
    assert policy.problems == ()
    assert set(example["locked"]) <= set(schema["properties"]["locked"]["items"]["enum"])


def test_macos_profile_example_is_a_valid_profile() -> None:
    data = plistlib.loads((ROOT / "packaging/macos/fr.coffre.app.mobileconfig").read_bytes())
    payload = data["PayloadContent"][0]
    assert payload["PayloadType"] == "fr.coffre.app"
    from app.policy.sources import policy_from_plist

    policy = policy_from_plist(
        {k: v for k, v in payload.items() if not k.startswith("Payload")}, source="profile"
    )
    assert policy.problems == ()
    assert policy.values["store_url"] == "s3://coffre-mairie/agents"
    assert "upload_limit_kib_s" in policy.locked and "language" not in policy.locked


def test_docs_tables_list_every_setting_in_both_languages() -> None:
    for path, lang in generate.DOCS.items():
        text = (ROOT / path).read_text("utf-8")
        for s in SETTINGS:
            assert f"| `{s.name}` |" in text
            assert (s.fr if lang == "fr" else s.en).replace("|", "\\|") in text

"""Every setting IT can set: the single source of truth for policy.

Each `PolicySetting` says its name, type, built-in default, whether IT can
lock it, and what it does in French and in English. Everything else is
generated from this table (`python -m app.policy.generate`): the
documentation table in docs/, the Windows administrative templates
(ADMX/ADML), a JSON Schema for /etc/coffre/policy.json, and a macOS
configuration-profile example. A test fails when a generated file drifts.

Two scopes:

- "user": a setting the person can also change in the settings dialog
  (`app.settings.AppSettings` takes its defaults from here). Policy gives a
  default; a locked one overrides the person's choice.
- "machine": only IT sets it; it always applies (there is nothing for the
  person to override), so "locked" changes nothing for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

Kind = Literal["bool", "int", "string", "enum", "list"]
Scope = Literal["user", "machine"]


@dataclass(frozen=True, slots=True)
class PolicySetting:
    name: str
    kind: Kind
    default: Any
    scope: Scope
    en: str  # one sentence or two: what it does, for IT
    fr: str
    title_en: str  # the short name shown in the Group Policy editor
    title_fr: str
    choices: tuple[str, ...] = ()  # for "enum"
    minimum: int | None = None  # for "int"
    maximum: int | None = None

    @property
    def lockable(self) -> bool:
        """A user setting can be locked; a machine setting is always enforced."""
        return self.scope == "user"


MAX_LIMIT_KIB_S = 10_000_000  # 10 GB/s: anything above is "unlimited" anyway
POLL_RANGE_S = (1, 3600)
LANGUAGES = ("system", "fr", "en")
PROXY_MODES = ("system", "manual")
LOG_LEVELS = ("debug", "info", "warning", "error")

# fmt: off
SETTINGS: tuple[PolicySetting, ...] = (
    # --- where the data goes ---------------------------------------------------------------
    PolicySetting(
        "store_url", "string", "", "machine",
        "The organisation's store address (s3://bucket/prefix, webdavs://host/path or a "
        "folder path); {user} is replaced by the login name, for one vault per person. The "
        "setup wizard uses it without asking, and `coffre enrol` joins it (or creates its "
        "vault). When set, it is the only store allowed, besides the allowed_stores prefixes.",
        "L'adresse de l'espace de stockage de l'organisation (s3://seau/préfixe, "
        "webdavs://hôte/chemin ou un chemin de dossier) ; {user} y est remplacé par "
        "l'identifiant de connexion, pour un coffre par personne. L'assistant l'utilise sans "
        "la demander et `coffre enrol` s'y joint (ou crée son coffre). Définie, c'est le seul "
        "stockage permis, en plus des préfixes de allowed_stores.",
        "Store address", "Adresse du stockage",
    ),
    PolicySetting(
        "allowed_stores", "list", [], "machine",
        "Store address prefixes a folder may sync with (such as s3://coffre-mairie/). "
        "Every other store is refused. Empty: any store (or only store_url when it is set).",
        "Préfixes des adresses de stockage avec lesquels un dossier peut se synchroniser "
        "(par exemple s3://coffre-mairie/). Tout autre stockage est refusé. Vide : tout "
        "stockage (ou seulement store_url s'il est défini).",
        "Allowed stores", "Stockages autorisés",
    ),
    PolicySetting(
        "personal_vaults_allowed", "bool", True, "machine",
        "Whether a person may create a vault of their own. Off: only the vault at store_url "
        "can be created; existing vaults can still be joined (within allowed_stores).",
        "Une personne peut-elle créer son propre coffre. Désactivé : seul le coffre de "
        "store_url peut être créé ; les coffres existants restent accessibles (dans "
        "allowed_stores).",
        "Allow personal vaults", "Autoriser les coffres personnels",
    ),
    PolicySetting(
        "default_folder", "string", "", "machine",
        "Where the synced folder goes on first start. ~ and %USERPROFILE% are the person's "
        "home, {user} their login name. Empty: ~/Coffre.",
        "Emplacement du dossier synchronisé au premier démarrage. ~ et %USERPROFILE% "
        "désignent le dossier personnel, {user} l'identifiant de connexion. Vide : ~/Coffre.",
        "Default folder location", "Emplacement par défaut du dossier",
    ),
    PolicySetting(
        "disable_custom_folder", "bool", False, "machine",
        "Forbid choosing another folder location than default_folder.",
        "Interdit de choisir un autre emplacement que default_folder.",
        "Forbid another folder location", "Interdire un autre emplacement de dossier",
    ),
    PolicySetting(
        "hide_setup_wizard", "bool", False, "machine",
        "Silent setup: with store_url set, the first start asks only the passphrase (and the "
        "storage credentials if the keyring has none), never the store or the folder.",
        "Configuration silencieuse : si store_url est défini, le premier démarrage ne demande "
        "que la phrase de passe (et les identifiants du stockage si le trousseau n'en a pas), "
        "jamais le stockage ni le dossier.",
        "Hide the setup wizard", "Masquer l'assistant de configuration",
    ),
    # --- the person's settings ---------------------------------------------------------------
    PolicySetting(
        "start_at_login", "bool", True, "user",
        "Start Coffre when the person logs in.",
        "Démarrer Coffre à l'ouverture de session.",
        "Start at login", "Démarrer à l'ouverture de session",
    ),
    PolicySetting(
        "upload_limit_kib_s", "int", 0, "user",
        "Upload bandwidth limit in KiB/s; 0 is unlimited.",
        "Limite du débit d'envoi en Kio/s ; 0 : illimité.",
        "Upload limit (KiB/s)", "Limite d'envoi (Kio/s)",
        minimum=0, maximum=MAX_LIMIT_KIB_S,
    ),
    PolicySetting(
        "download_limit_kib_s", "int", 0, "user",
        "Download bandwidth limit in KiB/s; 0 is unlimited.",
        "Limite du débit de réception en Kio/s ; 0 : illimité.",
        "Download limit (KiB/s)", "Limite de réception (Kio/s)",
        minimum=0, maximum=MAX_LIMIT_KIB_S,
    ),
    PolicySetting(
        "pause_on_metered", "bool", True, "user",
        "Pause synchronisation on a metered connection (mobile data).",
        "Suspendre la synchronisation sur une connexion limitée (données mobiles).",
        "Pause on metered networks", "Pause sur les réseaux limités",
    ),
    PolicySetting(
        "pause_on_battery_saver", "bool", False, "user",
        "Pause synchronisation while the computer saves battery (power saver mode).",
        "Suspendre la synchronisation quand l'ordinateur économise la batterie (mode "
        "économie d'énergie).",
        "Pause in battery saver mode", "Pause en mode économie de batterie",
    ),
    PolicySetting(
        "active_poll_s", "int", 1, "user",
        "Seconds between checks for other computers' changes while things happen (a folder "
        "store on a local disk is watched instead).",
        "Secondes entre deux recherches des changements des autres ordinateurs, en activité "
        "(un dépôt dossier sur un disque local est surveillé à la place).",
        "Check interval while active (s)", "Intervalle de vérification en activité (s)",
        minimum=POLL_RANGE_S[0], maximum=POLL_RANGE_S[1],
    ),
    PolicySetting(
        "idle_poll_s", "int", 60, "user",
        "The same when nothing happened for a while.",
        "La même chose quand rien ne s'est passé depuis un moment.",
        "Check interval when idle (s)", "Intervalle de vérification au repos (s)",
        minimum=POLL_RANGE_S[0], maximum=POLL_RANGE_S[1],
    ),
    PolicySetting(
        "language", "enum", "system", "user",
        "The interface language: system (the desktop's), fr or en.",
        "La langue de l'interface : system (celle du bureau), fr ou en.",
        "Language", "Langue",
        choices=LANGUAGES,
    ),
    PolicySetting(
        "proxy_mode", "enum", "system", "user",
        "system: the system's proxy settings; manual: proxy_url.",
        "system : les réglages de proxy du système ; manual : proxy_url.",
        "Proxy mode", "Mode du proxy",
        choices=PROXY_MODES,
    ),
    PolicySetting(
        "proxy_url", "string", "", "user",
        "The proxy for proxy_mode manual: http://host:port, https://... or socks5://...",
        "Le proxy du mode manual : http://hôte:port, https://... ou socks5://...",
        "Proxy address", "Adresse du proxy",
    ),
    # --- safety nets -------------------------------------------------------------------------
    PolicySetting(
        "ignore_patterns", "list", [], "machine",
        "Patterns never synced on this machine, in .gitignore syntax (such as *.pst), added "
        "to each folder's own .coffreignore. A person cannot remove them.",
        "Motifs jamais synchronisés sur cette machine, en syntaxe .gitignore (par exemple "
        "*.pst), ajoutés au .coffreignore de chaque dossier. Une personne ne peut pas les "
        "retirer.",
        "Ignored files", "Fichiers ignorés",
    ),
    PolicySetting(
        "mass_delete_min_files", "int", 10, "machine",
        "A deletion is held for confirmation when it removes at least this many files and "
        "at least mass_delete_percent of the synced files.",
        "Une suppression est retenue pour confirmation quand elle retire au moins ce nombre "
        "de fichiers et au moins mass_delete_percent des fichiers synchronisés.",
        "Mass deletion: minimum files", "Suppression massive : nombre minimal de fichiers",
        minimum=1, maximum=1_000_000,
    ),
    PolicySetting(
        "mass_delete_percent", "int", 50, "machine",
        "The share of synced files (in percent) a deletion must reach to be held.",
        "La part des fichiers synchronisés (en pourcentage) qu'une suppression doit "
        "atteindre pour être retenue.",
        "Mass deletion: share of files (%)", "Suppression massive : part des fichiers (%)",
        minimum=1, maximum=100,
    ),
    PolicySetting(
        "min_free_disk_mib", "int", 0, "machine",
        "Downloads stop while the disk holding a synced folder has less free space than "
        "this (MiB); 0 only keeps the built-in margin.",
        "Les téléchargements s'arrêtent tant que le disque d'un dossier synchronisé a moins "
        "d'espace libre que cela (Mio) ; 0 : la seule marge intégrée.",
        "Minimum free disk space (MiB)", "Espace disque libre minimal (Mio)",
        minimum=0, maximum=10_000_000,
    ),
    # --- the organisation (sharing) -----------------------------------------------------------
    PolicySetting(
        "recovery_public_key", "string", "", "machine",
        "The organisation's recovery public key (base64). Every new vault key is also "
        "wrapped to it, and the person is told so.",
        "La clé publique de recouvrement de l'organisation (base64). Chaque nouvelle clé de "
        "coffre lui est aussi chiffrée, et la personne en est informée.",
        "Organisation recovery key", "Clé de recouvrement de l'organisation",
    ),
    PolicySetting(
        "directory_url", "string", "", "machine",
        "Where the organisation's directory of identities lives (for sharing).",
        "Emplacement de l'annuaire des identités de l'organisation (pour le partage).",
        "Organisation directory", "Annuaire de l'organisation",
    ),
    PolicySetting(
        "directory_signing_key", "string", "", "machine",
        "The directory's pinned signing public key (base64): entries not signed by it are "
        "refused.",
        "La clé publique de signature épinglée de l'annuaire (base64) : les entrées non "
        "signées par elle sont refusées.",
        "Directory signing key", "Clé de signature de l'annuaire",
    ),
    # --- support ------------------------------------------------------------------------------
    PolicySetting(
        "log_level", "enum", "info", "machine",
        "How much the log files say: debug, info, warning or error. Never secrets or "
        "file names at info and above.",
        "Le niveau de détail des journaux : debug, info, warning ou error. Jamais de secret "
        "ni de nom de fichier à partir de info.",
        "Log level", "Niveau des journaux",
        choices=LOG_LEVELS,
    ),
)
# fmt: on

BY_NAME: Mapping[str, PolicySetting] = {s.name: s for s in SETTINGS}
USER_SETTINGS: tuple[str, ...] = tuple(s.name for s in SETTINGS if s.scope == "user")


def default(name: str) -> Any:
    """The built-in default of a setting (a fresh copy for lists)."""
    value = BY_NAME[name].default
    return list(value) if isinstance(value, list) else value


def proxy_url_problem(url: str) -> str | None:
    """None if `url` is a usable manual proxy, else a problem code ("empty" or "invalid")."""
    text = url.strip()
    if not text:
        return "empty"
    try:
        parts = urlsplit(text)
        _ = parts.port
    except ValueError:
        return "invalid"
    if parts.scheme not in ("http", "https", "socks5", "socks5h") or not parts.hostname:
        return "invalid"
    return None

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>ConnectionPage</name>
    <message>
        <source>Connection test</source>
        <translation>Test de connexion</translation>
    </message>
    <message>
        <source>Coffre checks that it can reach the storage.</source>
        <translation>Coffre vérifie qu&apos;il peut accéder au stockage.</translation>
    </message>
    <message>
        <source>Testing the connection</source>
        <translation>Test de la connexion en cours</translation>
    </message>
    <message>
        <source>Test again</source>
        <translation>Tester à nouveau</translation>
    </message>
    <message>
        <source>Storage: %1</source>
        <translation>Stockage : %1</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Test de la connexion en cours…</translation>
    </message>
    <message>
        <source>Give your storage credentials:</source>
        <translation>Indiquez vos identifiants de stockage :</translation>
    </message>
    <message>
        <source>Access key or user name:</source>
        <translation>Clé d&apos;accès ou nom d&apos;utilisateur :</translation>
    </message>
    <message>
        <source>Secret key or password:</source>
        <translation>Clé secrète ou mot de passe :</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Coffre is ready</source>
        <translation>Coffre est prêt</translation>
    </message>
    <message>
        <source>Your folder %1 is now synchronised. Everything you put in it is encrypted on this computer, then sent to the vault. Coffre keeps running in the background; its icon shows whether everything is up to date.</source>
        <translation>Votre dossier %1 est maintenant synchronisé. Tout ce que vous y placez est chiffré sur cet ordinateur, puis envoyé dans le coffre. Coffre continue de fonctionner en arrière-plan ; son icône indique si tout est à jour.</translation>
    </message>
</context>
<context>
    <name>FolderPage</name>
    <message>
        <source>Folder to synchronise</source>
        <translation>Dossier à synchroniser</translation>
    </message>
    <message>
        <source>The folder on this computer that Coffre keeps in sync with the vault.</source>
        <translation>Le dossier de cet ordinateur que Coffre garde synchronisé avec le coffre.</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Dossier :</translation>
    </message>
    <message>
        <source>Name of this computer:</source>
        <translation>Nom de cet ordinateur :</translation>
    </message>
    <message>
        <source>This folder already contains files. They will be encrypted and copied into the new vault. Nothing will be deleted.</source>
        <translation>Ce dossier contient déjà des fichiers. Ils seront chiffrés et copiés dans le nouveau coffre. Rien ne sera supprimé.</translation>
    </message>
    <message>
        <source>This folder already contains files. They will be encrypted and added to the vault, and the vault&apos;s files will be added to this folder. Nothing will be deleted: when a file exists on both sides with different contents, both versions are kept and the copy is renamed.</source>
        <translation>Ce dossier contient déjà des fichiers. Ils seront chiffrés et ajoutés au coffre, et les fichiers du coffre seront ajoutés à ce dossier. Rien ne sera supprimé : si un fichier existe des deux côtés avec des contenus différents, les deux versions sont conservées et la copie est renommée.</translation>
    </message>
    <message>
        <source>The folder will be created.</source>
        <translation>Le dossier sera créé.</translation>
    </message>
</context>
<context>
    <name>PassphrasePage</name>
    <message>
        <source>Show the passphrase</source>
        <translation>Afficher la phrase de passe</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>Phrase de passe :</translation>
    </message>
    <message>
        <source>Type it again:</source>
        <translation>Saisissez-la à nouveau :</translation>
    </message>
    <message>
        <source>Choose a passphrase</source>
        <translation>Choisissez une phrase de passe</translation>
    </message>
    <message>
        <source>It protects the vault: you will type it on each computer you add.</source>
        <translation>Elle protège le coffre : vous la saisirez sur chaque ordinateur que vous ajouterez.</translation>
    </message>
    <message>
        <source>Choose a passphrase nobody can guess, such as a short sentence. Nobody can reset it for you, not even your administrator: you will also receive a recovery key, to keep on paper.</source>
        <translation>Choisissez une phrase de passe que personne ne peut deviner, par exemple une courte phrase. Personne ne pourra la réinitialiser à votre place, pas même votre administrateur : vous recevrez aussi une clé de récupération, à conserver sur papier.</translation>
    </message>
    <message>
        <source>Type the vault&apos;s passphrase</source>
        <translation>Saisissez la phrase de passe du coffre</translation>
    </message>
    <message>
        <source>The passphrase chosen when the vault was created.</source>
        <translation>La phrase de passe choisie lors de la création du coffre.</translation>
    </message>
    <message>
        <source>Coffre needs it to open the vault on this computer.</source>
        <translation>Coffre en a besoin pour ouvrir le coffre sur cet ordinateur.</translation>
    </message>
    <message>
        <source>Forgot your passphrase?</source>
        <translation>Phrase de passe oubliée ?</translation>
    </message>
    <message>
        <source>Forgot your passphrase? Use the recovery key</source>
        <translation>Phrase de passe oubliée ? Utiliser la clé de secours</translation>
    </message>
    <message>
        <source>Checking the passphrase</source>
        <translation>Vérification de la phrase de passe</translation>
    </message>
    <message>
        <source>Use the passphrase instead</source>
        <translation>Utiliser plutôt la phrase de passe</translation>
    </message>
</context>
<context>
    <name>PathPicker</name>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Browse for %1</source>
        <translation>Parcourir : %1</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Choisir un dossier</translation>
    </message>
</context>
<context>
    <name>RecoveryPage</name>
    <message>
        <source>Your recovery key</source>
        <translation>Votre clé de récupération</translation>
    </message>
    <message>
        <source>It is shown only this once.</source>
        <translation>Elle n&apos;est affichée qu&apos;une seule fois.</translation>
    </message>
    <message>
        <source>Write this key down on paper and keep it in a safe place. If you forget your passphrase, it is the only way to open the vault. Anyone who has it can read your files: do not send it by e-mail.</source>
        <translation>Recopiez cette clé sur papier et conservez-la en lieu sûr. Si vous oubliez votre phrase de passe, c&apos;est le seul moyen d&apos;ouvrir le coffre. Toute personne qui la détient peut lire vos fichiers : ne l&apos;envoyez pas par courriel.</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Clé de récupération</translation>
    </message>
    <message>
        <source>To confirm, type the last 4 characters of the key:</source>
        <translation>Pour confirmer, saisissez les 4 derniers caractères de la clé :</translation>
    </message>
    <message>
        <source>These are not the last 4 characters of the key.</source>
        <translation>Ce ne sont pas les 4 derniers caractères de la clé.</translation>
    </message>
    <message>
        <source>&amp;Print the recovery sheet…</source>
        <translation>&amp;Imprimer la fiche de secours…</translation>
    </message>
    <message>
        <source>&amp;Save it as PDF…</source>
        <translation>L’enregistrer en &amp;PDF…</translation>
    </message>
    <message>
        <source>The recovery sheet was sent to the printer.</source>
        <translation>La fiche de secours a été envoyée à l’imprimante.</translation>
    </message>
    <message>
        <source>Save the recovery sheet</source>
        <translation>Enregistrer la fiche de secours</translation>
    </message>
    <message>
        <source>coffre-recovery-key.pdf</source>
        <translation>coffre-cle-de-secours.pdf</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>Documents PDF (*.pdf)</translation>
    </message>
    <message>
        <source>The PDF could not be written: %1</source>
        <translation>Le PDF n’a pas pu être écrit : %1</translation>
    </message>
    <message>
        <source>Saved as %1. Print it, then delete the file: a copy on the computer is as readable as the key itself.</source>
        <translation>Enregistrée sous %1. Imprimez-la, puis supprimez le fichier : une copie sur l’ordinateur est aussi lisible que la clé elle-même.</translation>
    </message>
</context>
<context>
    <name>RecoverySheet</name>
    <message>
        <source>Storage</source>
        <translation>Stockage</translation>
    </message>
    <message>
        <source>Vault identifier</source>
        <translation>Identifiant du coffre</translation>
    </message>
    <message>
        <source>Folder it was created for</source>
        <translation>Dossier pour lequel il a été créé</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Keep this sheet in a safe place away from the computer (a locked drawer, a safe). Anyone who has the key can read every file in the vault.</source>
        <translation>Rangez cette fiche en lieu sûr, loin de l’ordinateur (un tiroir fermé à clé, un coffre-fort). Toute personne qui a la clé peut lire tous les fichiers du coffre.</translation>
    </message>
    <message>
        <source>Never send it by e-mail, never photograph it, never store it in the vault.</source>
        <translation>Ne l’envoyez jamais par courriel, ne la photographiez pas, ne la rangez jamais dans le coffre.</translation>
    </message>
    <message>
        <source>If the passphrase is forgotten: in Coffre, choose “Forgot your passphrase?” and type this key, then choose a new passphrase. On the command line: coffre sync --folder FOLDER --recovery-key-file FILE.</source>
        <translation>Si la phrase de passe est oubliée : dans Coffre, choisissez « Phrase de passe oubliée ? » et saisissez cette clé, puis choisissez une nouvelle phrase de passe. En ligne de commande : coffre sync --folder DOSSIER --recovery-key-file FICHIER.</translation>
    </message>
    <message>
        <source>The key stays valid after a passphrase change, until a new key is made.</source>
        <translation>La clé reste valable après un changement de phrase de passe, jusqu’à la création d’une nouvelle clé.</translation>
    </message>
    <message>
        <source>Coffre recovery key</source>
        <translation>Clé de secours Coffre</translation>
    </message>
    <message>
        <source>This key opens the vault below if its passphrase is forgotten.</source>
        <translation>Cette clé ouvre le coffre ci-dessous si sa phrase de passe est oubliée.</translation>
    </message>
    <message>
        <source>What to do with this sheet</source>
        <translation>Que faire de cette fiche</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Clé de secours</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>My &amp;identity…</source>
        <translation>Mon &amp;identité…</translation>
    </message>
    <message>
        <source>My identity</source>
        <translation>Mon identité</translation>
    </message>
    <message>
        <source>Your name, fingerprint and identity card: what colleagues need to share folders with you.</source>
        <translation>Votre nom, votre empreinte et votre carte d’identité : ce dont vos collègues ont besoin pour partager des dossiers avec vous.</translation>
    </message>
    <message>
        <source>Coffre settings</source>
        <translation>Paramètres de Coffre</translation>
    </message>
    <message>
        <source>Settings sections</source>
        <translation>Rubriques des paramètres</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <source>Synchronisation</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <source>Ignored files</source>
        <translation>Fichiers ignorés</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>Identité</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Langue :</translation>
    </message>
    <message>
        <source>A new language applies the next time Coffre starts.</source>
        <translation>Le changement de langue prend effet au prochain démarrage de Coffre.</translation>
    </message>
    <message>
        <source>Start Coffre when I log in</source>
        <translation>Démarrer Coffre à l&apos;ouverture de ma session</translation>
    </message>
    <message>
        <source>Pause synchronisation on metered connections (mobile data)</source>
        <translation>Suspendre la synchronisation sur les connexions limitées (données mobiles)</translation>
    </message>
    <message>
        <source>Pause synchronisation while the computer saves battery</source>
        <translation>Suspendre la synchronisation quand l&apos;ordinateur économise la batterie</translation>
    </message>
    <message>
        <source>Upload limit:</source>
        <translation>Limite d&apos;envoi :</translation>
    </message>
    <message>
        <source>Download limit:</source>
        <translation>Limite de réception :</translation>
    </message>
    <message>
        <source>Use the system&apos;s proxy settings</source>
        <translation>Utiliser les paramètres de proxy du système</translation>
    </message>
    <message>
        <source>Use this proxy:</source>
        <translation>Utiliser ce proxy :</translation>
    </message>
    <message>
        <source>Proxy address</source>
        <translation>Adresse du proxy</translation>
    </message>
    <message>
        <source> KiB/s</source>
        <translation> Kio/s</translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation>Illimitée</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Check for changes every (while active):</source>
        <translation>Rechercher les modifications toutes les (en activité) :</translation>
    </message>
    <message>
        <source>Check for changes every (when idle):</source>
        <translation>Rechercher les modifications toutes les (au repos) :</translation>
    </message>
    <message>
        <source>Changes on this computer are seen at once; these intervals are for changes made on your other computers.</source>
        <translation>Les modifications faites sur cet ordinateur sont prises en compte immédiatement ; ces intervalles concernent les modifications faites sur vos autres ordinateurs.</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Dossier :</translation>
    </message>
    <message>
        <source>Ignore patterns</source>
        <translation>Motifs à ignorer</translation>
    </message>
    <message>
        <source>set by your administrator</source>
        <translation>défini par votre administrateur</translation>
    </message>
    <message>
        <source>Set by your administrator.</source>
        <translation>Défini par votre administrateur.</translation>
    </message>
    <message>
        <source>Set by your administrator</source>
        <translation>Défini par votre administrateur</translation>
    </message>
    <message>
        <source>Your organisation&apos;s settings cannot be read: synchronisation is stopped until your IT department fixes them.</source>
        <translation>Les paramètres de votre organisation sont illisibles : la synchronisation est arrêtée jusqu&apos;à ce que votre service informatique les corrige.</translation>
    </message>
    <message>
        <source>Give the proxy&apos;s address, for example http://proxy.example.org:3128.</source>
        <translation>Indiquez l&apos;adresse du proxy, par exemple http://proxy.example.org:3128.</translation>
    </message>
    <message>
        <source>The ignore list is too long.</source>
        <translation>La liste des motifs à ignorer est trop longue.</translation>
    </message>
    <message>
        <source>A value is out of range.</source>
        <translation>Une valeur est hors des limites autorisées.</translation>
    </message>
    <message>
        <source>The ignore list could not be saved: %1</source>
        <translation>La liste des motifs à ignorer n&apos;a pas pu être enregistrée : %1</translation>
    </message>
    <message>
        <source>For example:
*.iso
drafts/
/personal-notes.txt</source>
        <translation>Par exemple :
*.iso
brouillons/
/notes-personnelles.txt</translation>
    </message>
    <message>
        <source>One rule per line. *.iso leaves out every file ending in .iso; drafts/ leaves out every folder named drafts; /personal-notes.txt leaves out only that file at the top of the folder. The list is shared with your other computers. Office lock files and system files are always left out.</source>
        <translation>Une règle par ligne. *.iso écarte tous les fichiers dont le nom finit par .iso ; brouillons/ écarte tous les dossiers nommés brouillons ; /notes-personnelles.txt écarte seulement ce fichier, à la racine du dossier. La liste est partagée avec vos autres ordinateurs. Les fichiers de verrouillage bureautiques et les fichiers système sont toujours écartés.</translation>
    </message>
</context>
<context>
    <name>SetupMessages</name>
    <message>
        <source>The storage server cannot be reached. Check the address and your network connection, then try again.</source>
        <translation>Le serveur de stockage est injoignable. Vérifiez l&apos;adresse et votre connexion réseau, puis réessayez.</translation>
    </message>
    <message>
        <source>The storage refused the credentials. Check the access key and secret key (or the user name and password).</source>
        <translation>Le stockage a refusé les identifiants. Vérifiez la clé d&apos;accès et la clé secrète (ou le nom d&apos;utilisateur et le mot de passe).</translation>
    </message>
    <message>
        <source>This bucket does not exist on the server. Check its name, or ask your administrator to create it.</source>
        <translation>Ce compartiment n&apos;existe pas sur le serveur. Vérifiez son nom, ou demandez à votre administrateur de le créer.</translation>
    </message>
    <message>
        <source>This folder cannot be found. Check the path; for a network share, make sure it is mounted.</source>
        <translation>Ce dossier est introuvable. Vérifiez le chemin ; pour un partage réseau, assurez-vous qu&apos;il est monté.</translation>
    </message>
    <message>
        <source>This location already contains files. A new vault needs an empty location: choose another folder or prefix, or join the existing vault instead.</source>
        <translation>Cet emplacement contient déjà des fichiers. Un nouveau coffre doit être créé dans un emplacement vide : choisissez un autre dossier ou un autre préfixe, ou rejoignez plutôt le coffre existant.</translation>
    </message>
    <message>
        <source>There is no Coffre vault at this location. Check the address, or create a new vault instead.</source>
        <translation>Il n&apos;y a pas de coffre Coffre à cet emplacement. Vérifiez l&apos;adresse, ou créez plutôt un nouveau coffre.</translation>
    </message>
    <message>
        <source>The storage address is not valid. Check each field.</source>
        <translation>L&apos;adresse du stockage n&apos;est pas valide. Vérifiez chaque champ.</translation>
    </message>
    <message>
        <source>The connection test failed.</source>
        <translation>Le test de connexion a échoué.</translation>
    </message>
    <message>
        <source>The connection works and the location is ready for a new vault.</source>
        <translation>La connexion fonctionne et l&apos;emplacement est prêt pour un nouveau coffre.</translation>
    </message>
    <message>
        <source>The connection works and a Coffre vault was found.</source>
        <translation>La connexion fonctionne et un coffre Coffre a été trouvé.</translation>
    </message>
    <message>
        <source>Fill in this field.</source>
        <translation>Renseignez ce champ.</translation>
    </message>
    <message>
        <source>Give the full path of the folder, for example /srv/coffre.</source>
        <translation>Indiquez le chemin complet du dossier, par exemple /srv/coffre.</translation>
    </message>
    <message>
        <source>This value is not valid.</source>
        <translation>Cette valeur n&apos;est pas valide.</translation>
    </message>
    <message>
        <source>Type the passphrase.</source>
        <translation>Saisissez la phrase de passe.</translation>
    </message>
    <message>
        <source>This passphrase is too easy to guess: make it longer.</source>
        <translation>Cette phrase de passe est trop facile à deviner : allongez-la.</translation>
    </message>
    <message>
        <source>The two passphrases are different.</source>
        <translation>Les deux phrases de passe sont différentes.</translation>
    </message>
    <message>
        <source>Choose the folder to synchronise.</source>
        <translation>Choisissez le dossier à synchroniser.</translation>
    </message>
    <message>
        <source>Give the full path of the folder.</source>
        <translation>Indiquez le chemin complet du dossier.</translation>
    </message>
    <message>
        <source>This path is a file, not a folder.</source>
        <translation>Ce chemin désigne un fichier, et non un dossier.</translation>
    </message>
    <message>
        <source>This folder is already synchronised by Coffre.</source>
        <translation>Ce dossier est déjà synchronisé par Coffre.</translation>
    </message>
    <message>
        <source>The synchronised folder and the storage folder must be separate: choose a folder outside the storage.</source>
        <translation>Le dossier synchronisé et le dossier de stockage doivent être distincts : choisissez un dossier situé en dehors du stockage.</translation>
    </message>
    <message>
        <source>This passphrase does not open the vault. Check it (upper and lower case matter) and try again.</source>
        <translation>Cette phrase de passe n&apos;ouvre pas le coffre. Vérifiez-la (les majuscules et les minuscules comptent) et réessayez.</translation>
    </message>
    <message>
        <source>This folder is already synchronised by Coffre. Choose another folder.</source>
        <translation>Ce dossier est déjà synchronisé par Coffre. Choisissez un autre dossier.</translation>
    </message>
    <message>
        <source>The keys could not be kept in the system keyring. Unlock the keyring (or start it), then try again.</source>
        <translation>Les clés n&apos;ont pas pu être enregistrées dans le trousseau du système. Déverrouillez le trousseau (ou démarrez-le), puis réessayez.</translation>
    </message>
    <message>
        <source>A file or folder could not be written. Check that you may write to the chosen folders and that the disk is not full.</source>
        <translation>Un fichier ou un dossier n&apos;a pas pu être écrit. Vérifiez que vous avez le droit d&apos;écrire dans les dossiers choisis et que le disque n&apos;est pas plein.</translation>
    </message>
    <message>
        <source>Something went wrong and nothing was set up.</source>
        <translation>Une erreur s&apos;est produite et rien n&apos;a été configuré.</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Détails : %1</translation>
    </message>
    <message>
        <source>This recovery key does not open the vault. Check that it is the key of this vault, printed when the vault was created.</source>
        <translation>Cette clé de secours n’ouvre pas le coffre. Vérifiez qu’il s’agit bien de la clé de ce coffre, imprimée à sa création.</translation>
    </message>
    <message>
        <source>The storage served an old version of the vault&apos;s header, from before its passphrase was changed. It was refused: tell your IT department.</source>
        <translation>Le stockage a fourni une ancienne version de l’en-tête du coffre, antérieure au changement de sa phrase de passe. Elle a été refusée : prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>This recovery key contains a typo or is incomplete. Compare it with the printed key.</source>
        <translation>Cette clé de secours contient une faute de frappe ou est incomplète. Comparez-la avec la clé imprimée.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up Coffre</source>
        <translation>Configurer Coffre</translation>
    </message>
    <message>
        <source>Close without confirming?</source>
        <translation>Fermer sans confirmer ?</translation>
    </message>
    <message>
        <source>The vault is created, but the recovery key will not be shown again. Close anyway?</source>
        <translation>Le coffre est créé, mais la clé de récupération ne sera plus affichée. Fermer quand même ?</translation>
    </message>
</context>
<context>
    <name>StorePage</name>
    <message>
        <source>Where is the vault stored?</source>
        <translation>Où le coffre est-il stocké ?</translation>
    </message>
    <message>
        <source>Choose the storage your organisation gave you. Coffre only stores encrypted data there.</source>
        <translation>Choisissez le stockage mis à votre disposition par votre organisation. Coffre n&apos;y dépose que des données chiffrées.</translation>
    </message>
    <message>
        <source>A folder or a network share</source>
        <translation>Un dossier ou un partage réseau</translation>
    </message>
    <message>
        <source>S3-compatible object storage</source>
        <translation>Un stockage objet compatible S3</translation>
    </message>
    <message>
        <source>A WebDAV server</source>
        <translation>Un serveur WebDAV</translation>
    </message>
    <message>
        <source>Storage folder</source>
        <translation>Dossier de stockage</translation>
    </message>
    <message>
        <source>Storage folder:</source>
        <translation>Dossier de stockage :</translation>
    </message>
    <message>
        <source>For a network share (SMB or NFS), mount it first, then choose the mounted folder.</source>
        <translation>Pour un partage réseau (SMB ou NFS), montez-le d&apos;abord, puis choisissez le dossier monté.</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>facultatif</translation>
    </message>
    <message>
        <source>Endpoint:</source>
        <translation>Adresse du serveur :</translation>
    </message>
    <message>
        <source>Bucket:</source>
        <translation>Compartiment (bucket) :</translation>
    </message>
    <message>
        <source>Prefix:</source>
        <translation>Préfixe :</translation>
    </message>
    <message>
        <source>Region:</source>
        <translation>Région :</translation>
    </message>
    <message>
        <source>Access key:</source>
        <translation>Clé d&apos;accès :</translation>
    </message>
    <message>
        <source>Secret key:</source>
        <translation>Clé secrète :</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Adresse :</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>Nom d&apos;utilisateur :</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
    <message>
        <source>Keys and passwords are kept in your system&apos;s keyring, never in a file.</source>
        <translation>Les clés et mots de passe sont conservés dans le trousseau de votre système, jamais dans un fichier.</translation>
    </message>
</context>
<context>
    <name>StrengthMeter</name>
    <message>
        <source>Passphrase strength</source>
        <translation>Robustesse de la phrase de passe</translation>
    </message>
    <message>
        <source>Very weak</source>
        <translation>Très faible</translation>
    </message>
    <message>
        <source>Weak</source>
        <translation>Faible</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>Moyenne</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>Bonne</translation>
    </message>
    <message>
        <source>Very strong</source>
        <translation>Très bonne</translation>
    </message>
    <message>
        <source>Choose a passphrase.</source>
        <translation>Choisissez une phrase de passe.</translation>
    </message>
    <message>
        <source>Use at least 12 characters; a short sentence is ideal.</source>
        <translation>Utilisez au moins 12 caractères ; une courte phrase est idéale.</translation>
    </message>
    <message>
        <source>This is one of the first passwords an attacker tries.</source>
        <translation>C&apos;est l&apos;un des premiers mots de passe qu&apos;essaie un attaquant.</translation>
    </message>
    <message>
        <source>Avoid repeated characters or words.</source>
        <translation>Évitez les caractères ou les mots répétés.</translation>
    </message>
    <message>
        <source>Avoid sequences such as abcd, 1234 or azerty.</source>
        <translation>Évitez les suites comme abcd, 1234 ou azerty.</translation>
    </message>
    <message>
        <source>Add words, digits or punctuation.</source>
        <translation>Ajoutez des mots, des chiffres ou de la ponctuation.</translation>
    </message>
    <message>
        <source>Strength: %1</source>
        <translation>Robustesse : %1</translation>
    </message>
    <message>
        <source>Add another word or two: length is what makes it strong.</source>
        <translation>Ajoutez un mot ou deux : c’est la longueur qui fait la solidité.</translation>
    </message>
    <message>
        <source>“%1” is one of the first passwords an attacker tries.</source>
        <translation>« %1 » fait partie des premiers mots de passe qu’un attaquant essaie.</translation>
    </message>
    <message>
        <source>“%1” is a sequence an attacker tries first: avoid it.</source>
        <translation>« %1 » est une suite qu’un attaquant essaie en premier : évitez-la.</translation>
    </message>
    <message>
        <source>“%1” repeats one character: avoid repetitions.</source>
        <translation>« %1 » répète un même caractère : évitez les répétitions.</translation>
    </message>
    <message>
        <source>Add at least %1 more characters; a short sentence of several words is ideal.</source>
        <translation>Allongez-la d’au moins %1 caractère(s) ; une courte phrase de plusieurs mots est idéale.</translation>
    </message>
    <message>
        <source>Only letters: add another word, a digit or a punctuation mark.</source>
        <translation>Uniquement des lettres : ajoutez un mot, un chiffre ou un signe de ponctuation.</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Summary</source>
        <translation>Récapitulatif</translation>
    </message>
    <message>
        <source>Setting up</source>
        <translation>Configuration en cours</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>dossier</translation>
    </message>
    <message>
        <source>S3-compatible object storage</source>
        <translation>stockage objet compatible S3</translation>
    </message>
    <message>
        <source>WebDAV server</source>
        <translation>serveur WebDAV</translation>
    </message>
    <message>
        <source>Join the existing vault.</source>
        <translation>Rejoindre le coffre existant.</translation>
    </message>
    <message>
        <source>Join the vault</source>
        <translation>Rejoindre le coffre</translation>
    </message>
    <message>
        <source>Create a new vault.</source>
        <translation>Créer un nouveau coffre.</translation>
    </message>
    <message>
        <source>Create the vault</source>
        <translation>Créer le coffre</translation>
    </message>
    <message>
        <source>Storage (%1): %2</source>
        <translation>Stockage (%1) : %2</translation>
    </message>
    <message>
        <source>Synchronised folder: %1</source>
        <translation>Dossier synchronisé : %1</translation>
    </message>
    <message>
        <source>Name of this computer: %1</source>
        <translation>Nom de cet ordinateur : %1</translation>
    </message>
    <message>
        <source>Next, Coffre shows the recovery key once: have a pen and paper ready.</source>
        <translation>Coffre va ensuite afficher la clé de récupération, une seule fois : munissez-vous d&apos;un papier et d&apos;un stylo.</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Coffre</source>
        <translation>Bienvenue dans Coffre</translation>
    </message>
    <message>
        <source>Coffre keeps a folder in sync between your computers. Your files are encrypted on this computer before they are sent: the storage only sees unreadable data.</source>
        <translation>Coffre synchronise un dossier entre vos ordinateurs. Vos fichiers sont chiffrés sur cet ordinateur avant d&apos;être envoyés : le stockage ne voit que des données illisibles.</translation>
    </message>
    <message>
        <source>Use the default (recommended)</source>
        <translation>Utiliser la configuration par défaut (recommandé)</translation>
    </message>
    <message>
        <source>Start right away: a new vault on this computer and a synchronised folder in your personal folder. You can add a shared storage later.</source>
        <translation>Pour commencer tout de suite : un nouveau coffre sur cet ordinateur et un dossier synchronisé dans votre dossier personnel. Vous pourrez ajouter un stockage partagé plus tard.</translation>
    </message>
    <message>
        <source>Use the default</source>
        <translation>Utiliser la configuration par défaut</translation>
    </message>
    <message>
        <source>Create a vault on a storage of my choice</source>
        <translation>Créer un coffre sur le stockage de mon choix</translation>
    </message>
    <message>
        <source>A network share, S3-compatible object storage or a WebDAV server.</source>
        <translation>Un partage réseau, un stockage objet compatible S3 ou un serveur WebDAV.</translation>
    </message>
    <message>
        <source>Join an existing vault</source>
        <translation>Rejoindre un coffre existant</translation>
    </message>
    <message>
        <source>The vault already exists (for example on your other computer).</source>
        <translation>Le coffre existe déjà (par exemple sur votre autre ordinateur).</translation>
    </message>
</context>
</TS>

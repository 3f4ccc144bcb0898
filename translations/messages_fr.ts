<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Messages</name>
    <message>
        <source>The passphrase or recovery key does not open this vault. Check it (upper and lower case matter) and try again.</source>
        <translation>La phrase de passe ou la clé de récupération n'ouvre pas ce coffre. Vérifiez-la (majuscules et minuscules comptent) et réessayez.</translation>
    </message>
    <message>
        <source>This recovery key is not valid: a character is probably mistyped. Check it against the paper copy.</source>
        <translation>Cette clé de récupération n'est pas valide : un caractère est sans doute mal saisi. Comparez-la avec l'exemplaire papier.</translation>
    </message>
    <message>
        <source>Data on the storage failed its integrity check: it was modified, truncated or replaced. Nothing was written from it. Tell your IT department; your other files are untouched.</source>
        <translation>Des données du stockage n'ont pas passé le contrôle d'intégrité : elles ont été modifiées, tronquées ou remplacées. Rien n'a été écrit à partir d'elles. Prévenez votre service informatique ; vos autres fichiers sont intacts.</translation>
    </message>
    <message>
        <source>The storage returned older data than it had already given: it may have been restored from a backup or altered. Nothing was written from it. Tell your IT department.</source>
        <translation>Le stockage a renvoyé des données plus anciennes que celles qu'il avait déjà fournies : il a peut-être été restauré depuis une sauvegarde, ou modifié. Rien n'a été écrit à partir d'elles. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>This vault uses a format this version of Coffre cannot read. Update Coffre.</source>
        <translation>Ce coffre utilise un format que cette version de Coffre ne sait pas lire. Mettez Coffre à jour.</translation>
    </message>
    <message>
        <source>The storage asks for weaker protection than this vault uses, so Coffre refused it. Tell your IT department.</source>
        <translation>Le stockage demande une protection plus faible que celle de ce coffre : Coffre l'a refusée. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>The storage {url} reported an error.</source>
        <translation>Le stockage {url} a signalé une erreur.</translation>
    </message>
    <message>
        <source>Something Coffre needs is missing from the storage {url}: another device may have deleted it, or the address points to the wrong place.</source>
        <translation>Il manque dans le stockage {url} un élément dont Coffre a besoin : un autre appareil l'a peut-être supprimé, ou l'adresse ne désigne pas le bon endroit.</translation>
    </message>
    <message>
        <source>Something was already on the storage {url}, so it was not written again.</source>
        <translation>Cet élément existait déjà dans le stockage {url} : il n'a pas été écrit une seconde fois.</translation>
    </message>
    <message>
        <source>The storage {url} cannot be reached. Check the network connection; Coffre will try again.</source>
        <translation>Le stockage {url} est injoignable. Vérifiez la connexion réseau ; Coffre réessaiera.</translation>
    </message>
    <message>
        <source>The storage folder {url} is missing. If it is on a network share or a removable disk, check that it is connected; Coffre will try again.</source>
        <translation>Le dossier de stockage {url} est introuvable. S'il se trouve sur un partage réseau ou un disque amovible, vérifiez qu'il est connecté ; Coffre réessaiera.</translation>
    </message>
    <message>
        <source>The storage {url} asked Coffre to slow down; it will try again shortly.</source>
        <translation>Le stockage {url} a demandé à Coffre de ralentir ; il réessaiera dans un instant.</translation>
    </message>
    <message>
        <source>The storage {url} refused access. Check the credentials and access rights.</source>
        <translation>Le stockage {url} a refusé l'accès. Vérifiez les identifiants et les droits d'accès.</translation>
    </message>
    <message>
        <source>The storage address {url} is not valid or not usable. Check it.</source>
        <translation>L'adresse de stockage {url} n'est pas valide ou pas utilisable. Vérifiez-la.</translation>
    </message>
    <message>
        <source>The bucket of {url} does not exist on the server. Check its name, or ask your administrator to create it.</source>
        <translation>Le compartiment (bucket) de {url} n'existe pas sur le serveur. Vérifiez son nom, ou demandez à votre administrateur de le créer.</translation>
    </message>
    <message>
        <source>The certificate of the server {url} is not trusted. If your organisation uses its own certificate authority, ask your IT department for its certificate (a PEM file) and add ?ca_bundle=/path/to/ca.pem to the address.</source>
        <translation>Le certificat du serveur {url} n'est pas reconnu. Si votre organisation utilise sa propre autorité de certification, demandez son certificat (un fichier PEM) à votre service informatique et ajoutez ?ca_bundle=/chemin/vers/ca.pem à l'adresse.</translation>
    </message>
    <message>
        <source>The server {url} does not use an encrypted connection on this port. Check the address: webdavs:// is encrypted (HTTPS), webdav:// is not.</source>
        <translation>Le serveur {url} n'utilise pas de connexion chiffrée sur ce port. Vérifiez l'adresse : webdavs:// est chiffré (HTTPS), webdav:// ne l'est pas.</translation>
    </message>
    <message>
        <source>The storage {url} is full or its quota is used up. Free some space or ask your administrator for more.</source>
        <translation>Le stockage {url} est plein ou son quota est atteint. Libérez de la place ou demandez davantage d'espace à votre administrateur.</translation>
    </message>
    <message>
        <source>The storage no longer has this file's content. Run “coffre check”, then “coffre repair” on a computer that still has the file.</source>
        <translation>Le stockage n'a plus le contenu de ce fichier. Lancez « coffre check », puis « coffre repair » sur un ordinateur qui a encore le fichier.</translation>
    </message>
    <message>
        <source>The storage holds a record of device {device} that this version of Coffre does not understand; its changes are still read. If it persists, tell your IT department.</source>
        <translation>Le stockage contient un enregistrement de l'appareil {device} que cette version de Coffre ne comprend pas ; ses modifications sont quand même lues. Si cela persiste, prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Device {by} accepted a change numbered {seq} from this computer that this computer never wrote: another machine uses its identity, or the storage shows different content to different computers. Tell your IT department.</source>
        <translation>L'appareil {by} a accepté une modification n° {seq} de cet ordinateur qu'il n'a jamais écrite : une autre machine utilise son identité, ou le stockage montre des contenus différents selon les ordinateurs. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Device {by} accepted change {seq} of this computer, which only knows older ones: this computer's Coffre data was restored from an old copy. Add this folder again as a new computer (coffre join).</source>
        <translation>L'appareil {by} a accepté la modification n° {seq} de cet ordinateur, qui n'en connaît que de plus anciennes : les données Coffre de cet ordinateur ont été restaurées depuis une ancienne copie. Ajoutez de nouveau ce dossier comme un nouvel ordinateur (coffre join).</translation>
    </message>
    <message>
        <source>Device {device} has two different histories at change {seq}: device {by} accepted one, this computer the other. The storage shows different content to different computers; tell your IT department.</source>
        <translation>L'appareil {device} a deux historiques différents à la modification n° {seq} : l'appareil {by} a accepté l'un, cet ordinateur l'autre. Le stockage montre des contenus différents selon les ordinateurs ; prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>The storage hides the changes of device {device}, which device {by} saw up to change {seq}: data was rolled back or withheld. Tell your IT department.</source>
        <translation>Le stockage cache les modifications de l'appareil {device}, que l'appareil {by} a vues jusqu'à la modification n° {seq} : des données ont été remises en arrière ou retenues. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>The storage shows the changes of device {device} only up to change {served}, but device {by} already accepted change {seq}: the storage rolled them back. Tell your IT department.</source>
        <translation>Le stockage ne montre les modifications de l'appareil {device} que jusqu'à la n° {served}, alors que l'appareil {by} a déjà accepté la n° {seq} : le stockage les a remises en arrière. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list was written by a member whose role does not allow it (only owners add or remove members, change roles and renew keys); it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres a été écrite par un membre dont le rôle ne le permet pas (seuls les propriétaires ajoutent ou retirent des membres, changent les rôles et renouvellent les clés) ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list adds a device to another member's account (each member adds their own devices); it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres ajoute un appareil au compte d'un autre membre (chaque membre ajoute ses propres appareils) ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list removes another member's device without being an owner; it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres retire l'appareil d'un autre membre sans être propriétaire ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list does not apply to the list as it stands; it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres ne s'applique pas à la liste actuelle ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list creates the list without making its creator an owner; it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres crée la liste sans faire de son créateur un propriétaire ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list carries keys that are not those of the person it names; it was ignored. Tell your IT department.</source>
        <translation>L'entrée {position} de la liste des membres porte des clés qui ne sont pas celles de la personne qu'elle nomme ; elle a été ignorée. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list adds someone who is already a member; it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres ajoute une personne déjà membre ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list is about someone who is not a member; it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres concerne une personne qui n'est pas membre ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list gives a member the role they already have; it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres donne à un membre le rôle qu'il a déjà ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list adds a device already used in this folder (a removed device cannot come back); it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres ajoute un appareil déjà utilisé dans ce dossier (un appareil retiré ne peut pas revenir) ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list removes a device that is not a current device of the member it names; it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres retire un appareil qui n'est pas un appareil actuel du membre qu'elle nomme ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>The organisation's policy ({source}) cannot be used: {problems}. Synchronisation stays stopped until your IT department fixes it.</source>
        <translation>La politique de votre organisation ({source}) est inutilisable : {problems}. La synchronisation reste arrêtée jusqu'à ce que votre service informatique la corrige.</translation>
    </message>
    <message>
        <source>The organisation's policy forbids creating a vault of your own. Ask your IT department.</source>
        <translation>La politique de votre organisation interdit de créer votre propre coffre. Demandez à votre service informatique.</translation>
    </message>
    <message>
        <source>The organisation's policy forbids syncing with {address}; allowed: {allowed}. Ask your IT department.</source>
        <translation>La politique de votre organisation interdit de synchroniser avec {address} ; autorisés : {allowed}. Demandez à votre service informatique.</translation>
    </message>
    <message>
        <source>The connection to the storage {url} was closed.</source>
        <translation>La connexion au stockage {url} a été fermée.</translation>
    </message>
    <message>
        <source>“{path}” could not be read or written. Check the disk; Coffre will retry.</source>
        <translation>« {path} » n'a pas pu être lu ou écrit. Vérifiez le disque ; Coffre réessaiera.</translation>
    </message>
    <message>
        <source>The synchronised folder is missing or not mounted. Check the disk; nothing was deleted.</source>
        <translation>Le dossier synchronisé est introuvable ou non monté. Vérifiez le disque ; rien n'a été supprimé.</translation>
    </message>
    <message>
        <source>The folder “{path}” could not be read. Its contents are left alone until it can be; check its permissions.</source>
        <translation>Le dossier « {path} » n'a pas pu être lu. Son contenu n'est pas touché tant qu'il ne peut pas l'être ; vérifiez ses autorisations.</translation>
    </message>
    <message>
        <source>“{path}” changed while it was synchronised; Coffre will look again.</source>
        <translation>« {path} » a changé pendant la synchronisation ; Coffre le regardera à nouveau.</translation>
    </message>
    <message>
        <source>The disk is full or your quota is used up, so “{path}” was not written. Free some space; Coffre will retry.</source>
        <translation>Le disque est plein ou votre quota est atteint : « {path} » n'a pas été écrit. Libérez de la place ; Coffre réessaiera.</translation>
    </message>
    <message>
        <source>About {needed_mb} MB more are needed.</source>
        <translation>Il faut environ {needed_mb} Mo de plus.</translation>
    </message>
    <message>
        <source>The disk is read-only, so “{path}” was not changed. Make it writable.</source>
        <translation>Le disque est en lecture seule : « {path} » n'a pas été modifié. Rendez-le accessible en écriture.</translation>
    </message>
    <message>
        <source>Access to “{path}” was refused. Check that your account may change it.</source>
        <translation>L'accès à « {path} » a été refusé. Vérifiez que votre compte a le droit de le modifier.</translation>
    </message>
    <message>
        <source>“{path}” is open in another program. Close it; Coffre will retry.</source>
        <translation>« {path} » est ouvert dans un autre programme. Fermez-le ; Coffre réessaiera.</translation>
    </message>
    <message>
        <source>This disk does not accept the name “{path}”. Rename it.</source>
        <translation>Ce disque n'accepte pas le nom « {path} ». Renommez-le.</translation>
    </message>
    <message>
        <source>The name is empty.</source>
        <translation>Le nom est vide.</translation>
    </message>
    <message>
        <source>The path is absolute.</source>
        <translation>Le chemin est absolu.</translation>
    </message>
    <message>
        <source>The name contains an invalid character.</source>
        <translation>Le nom contient un caractère invalide.</translation>
    </message>
    <message>
        <source>The name is written in an unusual Unicode form.</source>
        <translation>Le nom est écrit sous une forme Unicode inhabituelle.</translation>
    </message>
    <message>
        <source>The path contains an empty name.</source>
        <translation>Le chemin contient un nom vide.</translation>
    </message>
    <message>
        <source>“{name}” cannot be used as a name.</source>
        <translation>« {name} » ne peut pas servir de nom.</translation>
    </message>
    <message>
        <source>“{name}” is too long for this disk. Give it a shorter name.</source>
        <translation>« {name} » est trop long pour ce disque. Donnez-lui un nom plus court.</translation>
    </message>
    <message>
        <source>“{name}” contains a backslash (\), which Windows does not allow. Rename it.</source>
        <translation>« {name} » contient une barre oblique inverse (\), interdite sous Windows. Renommez-le.</translation>
    </message>
    <message>
        <source>“{name}” contains a character Windows does not allow (&lt; &gt; : " | ? *). Rename it.</source>
        <translation>« {name} » contient un caractère interdit sous Windows (&lt; &gt; : " | ? *). Renommez-le.</translation>
    </message>
    <message>
        <source>“{name}” is a name reserved by Windows. Rename it.</source>
        <translation>« {name} » est un nom réservé par Windows. Renommez-le.</translation>
    </message>
    <message>
        <source>“{name}” ends with a dot or a space, which Windows does not allow. Rename it.</source>
        <translation>« {name} » se termine par un point ou une espace, ce que Windows interdit. Renommez-le.</translation>
    </message>
    <message>
        <source>The name is not valid text for Coffre. Rename it on this computer.</source>
        <translation>Le nom n'est pas un texte valide pour Coffre. Renommez-le sur cet ordinateur.</translation>
    </message>
    <message>
        <source>The name is written in a Unicode form Coffre cannot synchronise here. Rename it (typing the name again is enough).</source>
        <translation>Le nom est écrit sous une forme Unicode que Coffre ne peut pas synchroniser ici. Renommez-le (retaper le nom suffit).</translation>
    </message>
    <message>
        <source>Another item in this folder is also spelt “{name}”, with the same letters encoded differently. Rename or remove one of them.</source>
        <translation>Un autre élément de ce dossier s'écrit aussi « {name} », avec les mêmes lettres codées autrement. Renommez ou supprimez l'un des deux.</translation>
    </message>
    <message>
        <source>The name differs from “{other}” only by upper and lower case, and this disk cannot hold both. Rename one of them.</source>
        <translation>Le nom ne diffère de « {other} » que par les majuscules et minuscules, et ce disque ne peut pas contenir les deux. Renommez l'un d'eux.</translation>
    </message>
    <message>
        <source>It is inside “{folder}”, which is not synchronised here (upper and lower case).</source>
        <translation>Il se trouve dans « {folder} », qui n'est pas synchronisé ici (majuscules et minuscules).</translation>
    </message>
    <message>
        <source>The link has an empty or invalid target.</source>
        <translation>Le lien a une cible vide ou invalide.</translation>
    </message>
    <message>
        <source>The link points outside the folder.</source>
        <translation>Le lien pointe hors du dossier.</translation>
    </message>
    <message>
        <source>It could not be read on this disk this time, so nothing in it is synchronised until it can be.</source>
        <translation>Il n'a pas pu être lu sur ce disque cette fois-ci : rien de ce qu'il contient n'est synchronisé tant qu'il ne peut pas l'être.</translation>
    </message>
    <message>
        <source>This is not an ordinary file or folder, so it cannot be synchronised.</source>
        <translation>Ce n'est ni un fichier ni un dossier ordinaire : il ne peut pas être synchronisé.</translation>
    </message>
    <message>
        <source>It kept changing while it was read; it is synchronised once it settles.</source>
        <translation>Il changeait pendant sa lecture ; il sera synchronisé dès qu'il ne bougera plus.</translation>
    </message>
    <message>
        <source>Its deletion is held: many files were deleted at once. Confirm or cancel the deletion.</source>
        <translation>Sa suppression est suspendue : de nombreux fichiers ont été supprimés d'un coup. Confirmez ou annulez la suppression.</translation>
    </message>
    <message>
        <source>The storage lost part of another device's changes. Tell your IT department.</source>
        <translation>Le stockage a perdu une partie des modifications d'un autre appareil. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>A summary of another device's changes could not be used; Coffre reads them one by one.</source>
        <translation>Un résumé des modifications d'un autre appareil n'a pas pu être utilisé ; Coffre les lit une par une.</translation>
    </message>
    <message>
        <source>This computer's record of its changes disagrees with the storage. Synchronisation is stopped to protect your files; tell your IT department.</source>
        <translation>Le registre des modifications de cet ordinateur ne correspond pas au stockage. La synchronisation est arrêtée pour protéger vos fichiers ; prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Entry {position} of the folder's member list cannot be read; it was ignored. If it persists, tell your IT department.</source>
        <translation>L'entrée {position} de la liste des membres du dossier est illisible ; elle a été ignorée. Si cela persiste, prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list belongs to another folder: it was copied here on the storage, and ignored. Tell your IT department.</source>
        <translation>L'entrée {position} de la liste des membres appartient à un autre dossier : elle a été copiée ici sur le stockage, et ignorée. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list was copied from another place in the list; it was ignored. Tell your IT department.</source>
        <translation>L'entrée {position} de la liste des membres a été copiée depuis une autre place de la liste ; elle a été ignorée. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list does not follow the entries before it (one was removed or replaced on the storage); it was ignored. Tell your IT department.</source>
        <translation>L'entrée {position} de la liste des membres ne suit pas les entrées précédentes (l'une d'elles a été supprimée ou remplacée sur le stockage) ; elle a été ignorée. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>The member list on the storage differs from the one this computer already accepted at entry {position}: the storage shows different lists to different computers. Nothing was changed; tell your IT department.</source>
        <translation>La liste des membres sur le stockage diffère de celle que cet ordinateur a déjà acceptée à l'entrée {position} : le stockage montre des listes différentes à des ordinateurs différents. Rien n'a été modifié ; prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>The storage shows the member list only up to entry {served}, but this computer already accepted entry {pinned}: the list was rolled back. Nothing was changed; tell your IT department.</source>
        <translation>Le stockage ne montre la liste des membres que jusqu'à l'entrée {served}, mais cet ordinateur a déjà accepté l'entrée {pinned} : la liste a été ramenée en arrière. Rien n'a été modifié ; prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list is missing from the storage; what depends on it was ignored. Tell your IT department.</source>
        <translation>L'entrée {position} de la liste des membres manque sur le stockage ; ce qui en dépend a été ignoré. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list is not where a member list can start or restart; it was ignored. Tell your IT department.</source>
        <translation>L'entrée {position} de la liste des membres n'est pas à une place où une liste de membres peut commencer ou recommencer ; elle a été ignorée. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list was signed by a device that is not (or no longer) a member's; it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres a été signée par un appareil qui n'est pas (ou plus) celui d'un membre ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list has a signature that does not verify: it was forged or altered on the storage, and ignored. Tell your IT department.</source>
        <translation>L'entrée {position} de la liste des membres porte une signature invalide : elle a été falsifiée ou modifiée sur le stockage, et ignorée. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list adds a device its owner did not certify; it was ignored. Tell your IT department.</source>
        <translation>L'entrée {position} de la liste des membres ajoute un appareil que son propriétaire n'a pas certifié ; elle a été ignorée. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list would leave the folder without an owner; it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres laisserait le dossier sans propriétaire ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list names key generation {found} instead of {expected}; it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres indique la génération de clés {found} au lieu de {expected} ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Other members changed the member list {attempts} times while this change was being written; nothing was written. Try again.</source>
        <translation>D'autres membres ont modifié la liste des membres {attempts} fois pendant l'écriture de cette modification ; rien n'a été écrit. Réessayez.</translation>
    </message>
    <message>
        <source>This identity card is damaged or was altered, so nobody was added. Ask its owner to send it again, unchanged.</source>
        <translation>Cette carte d'identité est endommagée ou a été modifiée : personne n'a été ajouté. Demandez à son titulaire de vous la renvoyer, sans la modifier.</translation>
    </message>
    <message>
        <source>The card of {name} has the fingerprint {fingerprint}, not {given}: it is not the card you expected, and nobody was added. Ask the person for their card again, in person or by phone.</source>
        <translation>La carte de {name} a l'empreinte {fingerprint}, et non {given} : ce n'est pas la carte attendue, et personne n'a été ajouté. Redemandez sa carte à la personne, en personne ou par téléphone.</translation>
    </message>
    <message>
        <source>“{role}” is not a role: choose owner, editor or reader.</source>
        <translation>« {role} » n'est pas un rôle : choisissez owner (propriétaire), editor (éditeur) ou reader (lecteur).</translation>
    </message>
    <message>
        <source>Only an owner of this folder can change its members; nothing was changed. Ask an owner (see the list of members).</source>
        <translation>Seul un propriétaire de ce dossier peut modifier ses membres ; rien n'a été modifié. Adressez-vous à un propriétaire (voir la liste des membres).</translation>
    </message>
    <message>
        <source>No member of this folder is “{id}”: see the list of members.</source>
        <translation>Aucun membre de ce dossier n'est « {id} » : consultez la liste des membres.</translation>
    </message>
    <message>
        <source>No current device of this folder is “{id}”: see the list of members.</source>
        <translation>Aucun appareil actuel de ce dossier n'est « {id} » : consultez la liste des membres.</translation>
    </message>
    <message>
        <source>“{id}” names several members or devices: give the whole id.</source>
        <translation>« {id} » désigne plusieurs membres ou appareils : donnez l'identifiant complet.</translation>
    </message>
    <message>
        <source>{name} is already a member of this folder; nothing was changed. To give them another role, change their role.</source>
        <translation>{name} est déjà membre de ce dossier ; rien n'a été modifié. Pour lui donner un autre rôle, changez son rôle.</translation>
    </message>
    <message>
        <source>{name} already has the role {role}; nothing was changed.</source>
        <translation>{name} a déjà le rôle {role} ; rien n'a été modifié.</translation>
    </message>
    <message>
        <source>This would leave the folder without an owner; nothing was changed. Make another member an owner first.</source>
        <translation>Le dossier se retrouverait sans propriétaire ; rien n'a été modifié. Faites d'abord d'un autre membre un propriétaire.</translation>
    </message>
    <message>
        <source>This folder has no list of members yet: it was made by an older Coffre. Open it once with its passphrase to bring it up to date.</source>
        <translation>Ce dossier n'a pas encore de liste de membres : il a été créé par une version antérieure de Coffre. Ouvrez-le une fois avec sa phrase de passe pour le mettre à jour.</translation>
    </message>
    <message>
        <source>This computer's keys for the folder are not available, so it cannot sign a change to the members. Open the folder with its passphrase (or your identity) first.</source>
        <translation>Les clés de cet ordinateur pour ce dossier ne sont pas disponibles : il ne peut pas signer une modification des membres. Ouvrez d'abord le dossier avec sa phrase de passe (ou votre identité).</translation>
    </message>
    <message>
        <source>The folder's keys are not open on this computer, so the members cannot be changed. Unlock the folder first.</source>
        <translation>Les clés du dossier ne sont pas ouvertes sur cet ordinateur : les membres ne peuvent pas être modifiés. Déverrouillez d'abord le dossier.</translation>
    </message>
    <message>
        <source>Rewriting the older files under a new key is not available in this version of Coffre; nothing was changed. Remove the member without it.</source>
        <translation>La réécriture des fichiers plus anciens sous une nouvelle clé n'est pas disponible dans cette version de Coffre ; rien n'a été modifié. Retirez le membre sans cette option.</translation>
    </message>
    <message>
        <source>No owner has added your identity to this folder yet. Send them your identity card and compare the safety number with them; then join again.</source>
        <translation>Aucun propriétaire n'a encore ajouté votre identité à ce dossier. Envoyez-lui votre carte d'identité et comparez avec lui le numéro de sécurité ; puis rejoignez le dossier à nouveau.</translation>
    </message>
    <message>
        <source>Changes in this folder cannot be watched, so Coffre looks for them every few minutes.</source>
        <translation>Les modifications de ce dossier ne peuvent pas être surveillées : Coffre les recherche toutes les quelques minutes.</translation>
    </message>
    <message>
        <source>{url} already holds a Coffre vault. Join it instead of creating a new one.</source>
        <translation>{url} contient déjà un coffre Coffre. Rejoignez-le au lieu d'en créer un nouveau.</translation>
    </message>
    <message>
        <source>{url} already contains files. A new vault needs an empty location.</source>
        <translation>{url} contient déjà des fichiers. Un nouveau coffre a besoin d'un emplacement vide.</translation>
    </message>
    <message>
        <source>There is no Coffre vault at {url}. Check the address, or create a new vault.</source>
        <translation>Il n'y a pas de coffre Coffre à l'adresse {url}. Vérifiez l'adresse, ou créez un nouveau coffre.</translation>
    </message>
    <message>
        <source>Another computer created a vault here at the same moment. Join that vault instead.</source>
        <translation>Un autre ordinateur a créé un coffre ici au même moment. Rejoignez plutôt ce coffre.</translation>
    </message>
    <message>
        <source>The storage now holds another vault than the one this folder was set up with. Check the storage address; nothing was changed.</source>
        <translation>Le stockage contient désormais un autre coffre que celui avec lequel ce dossier a été configuré. Vérifiez l'adresse du stockage ; rien n'a été modifié.</translation>
    </message>
    <message>
        <source>This computer's own keys for the folder are gone (the system keyring was reset, or its key file deleted), so it cannot sign its changes. Add the folder again as a new computer, and ask an owner to remove the old one.</source>
        <translation>Les clés propres de cet ordinateur pour ce dossier ont disparu (le trousseau du système a été réinitialisé, ou son fichier de clés supprimé) : il ne peut donc pas signer ses modifications. Ajoutez de nouveau le dossier comme nouvel ordinateur, et demandez à un propriétaire de retirer l’ancien.</translation>
    </message>
    <message>
        <source>The vault's remembered key no longer opens it. Type the passphrase again.</source>
        <translation>La clé mémorisée n'ouvre plus ce coffre. Saisissez à nouveau la phrase de passe.</translation>
    </message>
    <message>
        <source>“{path}” is not inside the synchronised folder.</source>
        <translation>« {path} » ne se trouve pas dans le dossier synchronisé.</translation>
    </message>
    <message>
        <source>“{path}” has no history in this vault.</source>
        <translation>« {path} » n'a pas d'historique dans ce coffre.</translation>
    </message>
    <message>
        <source>“{path}” was only ever deleted: there is nothing to restore.</source>
        <translation>« {path} » n'a jamais été que supprimé : il n'y a rien à restaurer.</translation>
    </message>
    <message>
        <source>This version of “{path}” is a deletion: choose another one.</source>
        <translation>Cette version de « {path} » est une suppression : choisissez-en une autre.</translation>
    </message>
    <message>
        <source>“{path}” has no such version.</source>
        <translation>« {path} » n'a pas cette version.</translation>
    </message>
    <message>
        <source>This version of “{path}” is not a file.</source>
        <translation>Cette version de « {path} » n'est pas un fichier.</translation>
    </message>
    <message>
        <source>The system keyring cannot be used (locked, missing or refused). Unlock it, or give the storage credentials in the environment.</source>
        <translation>Le trousseau du système est inutilisable (verrouillé, absent ou refusé). Déverrouillez-le, ou indiquez les identifiants du stockage dans l'environnement.</translation>
    </message>
    <message>
        <source>This item is not in the quarantine any more.</source>
        <translation>Cet élément n'est plus en quarantaine.</translation>
    </message>
    <message>
        <source>Unlock the folder first.</source>
        <translation>Déverrouillez d'abord le dossier.</translation>
    </message>
    <message>
        <source>“{path}” is not in the folder any more; wait for the next sync and try again.</source>
        <translation>« {path} » n'est plus dans le dossier ; attendez la prochaine synchronisation et réessayez.</translation>
    </message>
    <message>
        <source>“{path}” changed since the conflict was shown; nothing was changed. Look at the conflict again.</source>
        <translation>« {path} » a changé depuis l'affichage du conflit ; rien n'a été modifié. Regardez à nouveau le conflit.</translation>
    </message>
    <message>
        <source>{detail}</source>
        <translation>Problème signalé par une version précédente de Coffre ; la prochaine synchronisation le vérifiera à nouveau.</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. Try again; if it persists, give the details below to your IT department.</source>
        <translation>Un problème inattendu est survenu. Réessayez ; s'il persiste, transmettez les détails ci-dessous à votre service informatique.</translation>
    </message>
    <message>
        <source>Check the storage credentials and access rights, then choose Sync now.</source>
        <translation>Vérifiez les identifiants et les droits d'accès au stockage, puis choisissez « Synchroniser maintenant ».</translation>
    </message>
    <message>
        <source>Free space on the storage or raise its quota, then choose Sync now.</source>
        <translation>Libérez de la place sur le stockage ou augmentez son quota, puis choisissez « Synchroniser maintenant ».</translation>
    </message>
    <message>
        <source>Check the storage address in the folder's settings.</source>
        <translation>Vérifiez l'adresse du stockage dans les paramètres du dossier.</translation>
    </message>
    <message>
        <source>The storage returned altered data; contact your IT department before going on.</source>
        <translation>Le stockage a renvoyé des données altérées ; contactez votre service informatique avant de continuer.</translation>
    </message>
    <message>
        <source>Check that the folder exists and is accessible (disk connected, permissions).</source>
        <translation>Vérifiez que le dossier existe et qu'il est accessible (disque connecté, autorisations).</translation>
    </message>
    <message>
        <source>Choose Sync now to try again; if it persists, tell your IT department.</source>
        <translation>Choisissez « Synchroniser maintenant » pour réessayer ; si le problème persiste, prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>This identity card is damaged or was altered: its contents do not match its signature. Ask the person to send their card again, unchanged.</source>
        <translation>Cette carte d’identité est abîmée ou a été modifiée : son contenu ne correspond pas à sa signature. Demandez à la personne de vous la renvoyer, sans la modifier.</translation>
    </message>
    <message>
        <source>Not synced: read-only. You are a reader of this vault, so your change stays on this computer only; ask an owner to make you an editor to share it.</source>
        <translation>Non synchronisé : lecture seule. Vous êtes lecteur de ce coffre : votre modification reste sur cet ordinateur uniquement ; demandez à un propriétaire de vous rendre éditeur pour la partager.</translation>
    </message>
    <message>
        <source>This computer was removed from the vault, so this folder no longer syncs. Nothing was deleted here; ask an owner to add it again if this is a mistake.</source>
        <translation>Cet ordinateur a été retiré du coffre : ce dossier n’est plus synchronisé. Rien n’a été supprimé ici ; demandez à un propriétaire de l’ajouter à nouveau s’il s’agit d’une erreur.</translation>
    </message>
    <message>
        <source>An owner removed you from this vault, so this folder no longer syncs. Nothing was deleted on this computer.</source>
        <translation>Un propriétaire vous a retiré de ce coffre : ce dossier n’est plus synchronisé. Rien n’a été supprimé sur cet ordinateur.</translation>
    </message>
    <message>
        <source>This computer is not yet in the vault's member list, so it cannot sync. Join the vault again from this computer (coffre join).</source>
        <translation>Cet ordinateur ne figure pas encore dans la liste des membres du coffre : il ne peut pas synchroniser. Rejoignez à nouveau le coffre depuis cet ordinateur (coffre join).</translation>
    </message>
    <message>
        <source>Entry {position} of the member list does not name exactly the devices it concerns; it was ignored.</source>
        <translation>L'entrée {position} de la liste des membres ne nomme pas exactement les appareils qu'elle concerne ; elle a été ignorée.</translation>
    </message>
    <message>
        <source>Change {seq} of device {device} carries no signature and comes after this folder moved to the current format; it was not applied. An old Coffre or the folder's old key may still be in use: tell your IT department.</source>
        <translation>La modification {seq} de l'appareil {device} ne porte pas de signature et vient après le passage de ce dossier au format actuel ; elle n'a pas été appliquée. Un ancien Coffre ou l'ancienne clé du dossier est peut-être encore utilisé : prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Changes of device {device} rely on a newer member list than this computer has read; they will be applied once it has read it.</source>
        <translation>Les modifications de l'appareil {device} s'appuient sur une liste des membres plus récente que celle que cet ordinateur a lue ; elles seront appliquées dès qu'il l'aura lue.</translation>
    </message>
    <message>
        <source>Changes of device {device} use key generation {epoch}, newer than this computer knows; they will be applied once it has read the newer member list.</source>
        <translation>Les modifications de l'appareil {device} utilisent la génération de clé {epoch}, plus récente que celles que cet ordinateur connaît ; elles seront appliquées dès qu'il aura lu la liste des membres plus récente.</translation>
    </message>
    <message>
        <source>Changes of device {device} were not applied: no member of this folder added that device. Tell your IT department.</source>
        <translation>Les modifications de l'appareil {device} n'ont pas été appliquées : aucun membre de ce dossier n'a ajouté cet appareil. Prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Changes of device “{name}” were not applied: that device had been removed from the folder.</source>
        <translation>Les modifications de l'appareil « {name} » n'ont pas été appliquées : cet appareil avait été retiré du dossier.</translation>
    </message>
    <message>
        <source>Changes of device “{name}” were not applied: the person it belongs to could only read this folder when they were made.</source>
        <translation>Les modifications de l'appareil « {name} » n'ont pas été appliquées : la personne à qui il appartient ne pouvait que lire ce dossier quand elles ont été faites.</translation>
    </message>
    <message>
        <source>Changes of device “{name}” were not applied: they were sealed with an old key (generation {epoch} instead of {expected} or later), which removed members may still hold.</source>
        <translation>Les modifications de l'appareil « {name} » n'ont pas été appliquées : elles ont été chiffrées avec une ancienne clé (génération {epoch} au lieu de {expected} ou plus), que des membres retirés peuvent encore détenir.</translation>
    </message>
    <message>
        <source>Changes of device “{name}” after its change {cut} were not applied: entry {position} of the member list removed that device or took away its right to change files.</source>
        <translation>Les modifications de l'appareil « {name} » postérieures à sa modification {cut} n'ont pas été appliquées : l'entrée {position} de la liste des membres a retiré cet appareil ou lui a ôté le droit de modifier les fichiers.</translation>
    </message>
</context>
</TS>

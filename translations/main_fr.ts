<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>ActivityView</name>
    <message>
        <source>Recent changes</source>
        <translation>Modifications récentes</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Par</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <source>Open the file</source>
        <translation>Ouvrir le fichier</translation>
    </message>
    <message>
        <source>Show in &amp;folder</source>
        <translation>Afficher dans le &amp;dossier</translation>
    </message>
    <message>
        <source>Show the file in its folder</source>
        <translation>Afficher le fichier dans son dossier</translation>
    </message>
    <message>
        <source>Renamed from {old}</source>
        <translation>Renommé, ancien nom : {old}</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Notification</source>
        <translation>Notification</translation>
    </message>
    <message>
        <source>Notification text</source>
        <translation>Texte de la notification</translation>
    </message>
    <message>
        <source>&amp;Dismiss</source>
        <translation>&amp;Fermer</translation>
    </message>
    <message>
        <source>Dismiss the notification</source>
        <translation>Fermer la notification</translation>
    </message>
</context>
<context>
    <name>ChangePassphraseDialog</name>
    <message>
        <source>Change the passphrase</source>
        <translation>Changer la phrase de passe</translation>
    </message>
    <message>
        <source>The new passphrase replaces the current one for the vault that {folder} is synced with, on every computer: type the new one on the others when they ask. The recovery key stays the same.</source>
        <translation>La nouvelle phrase de passe remplace l’actuelle pour le coffre avec lequel {folder} est synchronisé, sur tous les ordinateurs : saisissez la nouvelle sur les autres quand ils la demandent. La clé de secours reste la même.</translation>
    </message>
    <message>
        <source>&amp;Current passphrase:</source>
        <translation>Phrase de passe &amp;actuelle :</translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation>Phrase de passe actuelle</translation>
    </message>
    <message>
        <source>Changing the passphrase</source>
        <translation>Changement de la phrase de passe</translation>
    </message>
    <message>
        <source>C&amp;hange the passphrase</source>
        <translation>C&amp;hanger la phrase de passe</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>The passphrase was changed. The old one no longer opens the vault; type the new one on your other computers when they ask for it.</source>
        <translation>La phrase de passe a été changée. L’ancienne n’ouvre plus le coffre ; saisissez la nouvelle sur vos autres ordinateurs quand ils la demandent.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>This recovery key does not open the vault.</source>
        <translation>Cette clé de secours n’ouvre pas le coffre.</translation>
    </message>
    <message>
        <source>The current passphrase is wrong. Nothing was changed.</source>
        <translation>La phrase de passe actuelle est erronée. Rien n’a été changé.</translation>
    </message>
    <message>
        <source>The storage served an old version of the vault&apos;s header. Nothing was changed: tell your IT department.</source>
        <translation>Le stockage a fourni une ancienne version de l’en-tête du coffre. Rien n’a été changé : prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>The passphrase could not be changed; nothing was changed.</source>
        <translation>La phrase de passe n’a pas pu être changée ; rien n’a été modifié.</translation>
    </message>
    <message>
        <source>Details: {why}</source>
        <translation>Détails : {why}</translation>
    </message>
</context>
<context>
    <name>ConflictsView</name>
    <message>
        <source>Two devices changed the same file. Both versions are kept until you choose.</source>
        <translation>Deux appareils ont modifié le même fichier. Les deux versions sont conservées jusqu&apos;à ce que vous choisissiez.</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Conflits</translation>
    </message>
    <message>
        <source>Your version</source>
        <translation>Votre version</translation>
    </message>
    <message>
        <source>The other version</source>
        <translation>L&apos;autre version</translation>
    </message>
    <message>
        <source>Keep &amp;mine</source>
        <translation>Garder la &amp;mienne</translation>
    </message>
    <message>
        <source>Keep my version</source>
        <translation>Garder ma version</translation>
    </message>
    <message>
        <source>Keep &amp;theirs</source>
        <translation>Garder l&apos;&amp;autre</translation>
    </message>
    <message>
        <source>Keep the other version</source>
        <translation>Garder l&apos;autre version</translation>
    </message>
    <message>
        <source>Keep &amp;both</source>
        <translation>Garder les &amp;deux</translation>
    </message>
    <message>
        <source>Keep both versions as separate files</source>
        <translation>Garder les deux versions dans des fichiers distincts</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <source>Refresh the conflicts</source>
        <translation>Actualiser la liste des conflits</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>No conflicts.</source>
        <translation>Aucun conflit.</translation>
    </message>
    <message>
        <source>Settled: {path}</source>
        <translation>Conflit réglé : {path}</translation>
    </message>
    <message>
        <source>{path} is not in the folder yet: wait for the next sync.</source>
        <translation>{path} n&apos;est pas encore dans le dossier : attendez la prochaine synchronisation.</translation>
    </message>
</context>
<context>
    <name>FolderStatusWidget</name>
    <message>
        <source>Folder {name}</source>
        <translation>Dossier {name}</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Dernière synchronisation</translation>
    </message>
    <message>
        <source>Current activity</source>
        <translation>Activité en cours</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Débit</translation>
    </message>
    <message>
        <source>Read only</source>
        <translation>Lecture seule</translation>
    </message>
    <message>
        <source>You receive this folder&apos;s files but cannot change them: what you change stays on this computer and is not synced.</source>
        <translation>Vous recevez les fichiers de ce dossier mais ne pouvez pas les modifier : ce que vous modifiez reste sur cet ordinateur et n’est pas synchronisé.</translation>
    </message>
    <message>
        <source>Folder menu</source>
        <translation>Menu du dossier</translation>
    </message>
    <message>
        <source>&amp;Share…</source>
        <translation>&amp;Partager…</translation>
    </message>
    <message>
        <source>Not synced: read only</source>
        <translation>Non synchronisé : lecture seule</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>Mettre en &amp;pause</translation>
    </message>
    <message>
        <source>Pause or resume syncing</source>
        <translation>Mettre en pause ou reprendre la synchronisation</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>&amp;Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>&amp;Unlock…</source>
        <translation>&amp;Déverrouiller…</translation>
    </message>
    <message>
        <source>Unlock the folder with the passphrase</source>
        <translation>Déverrouiller le dossier avec la phrase de passe</translation>
    </message>
    <message>
        <source>Locked: {reason}</source>
        <translation>Verrouillé : {reason}</translation>
    </message>
    <message>
        <source>Waiting for your passphrase</source>
        <translation>En attente de votre phrase de passe</translation>
    </message>
    <message>
        <source>Opening the vault…</source>
        <translation>Ouverture du coffre…</translation>
    </message>
    <message>
        <source>Last sync: {when}</source>
        <translation>Dernière synchronisation : {when}</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message numerus="yes">
        <source>Not synced, read only: you changed %n file(s) that you may not change in this folder. They stay on this computer only.</source>
        <translation>
            <numerusform>Non synchronisé, lecture seule : vous avez modifié %n fichier que vous ne pouvez pas modifier dans ce dossier. Il reste uniquement sur cet ordinateur.</numerusform>
            <numerusform>Non synchronisé, lecture seule : vous avez modifié %n fichiers que vous ne pouvez pas modifier dans ce dossier. Ils restent uniquement sur cet ordinateur.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>et %n autre</numerusform>
            <numerusform>et %n autres</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sending {done} of %n file(s)</source>
        <translation>
            <numerusform>Envoi : {done} sur %n fichier</numerusform>
            <numerusform>Envoi : {done} sur %n fichiers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Receiving {done} of %n file(s)</source>
        <translation>
            <numerusform>Réception : {done} sur %n fichier</numerusform>
            <numerusform>Réception : {done} sur %n fichiers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) examined</source>
        <translation>
            <numerusform>%n élément examiné</numerusform>
            <numerusform>%n éléments examinés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) could not be synced</source>
        <translation>
            <numerusform>%n élément n’a pas pu être synchronisé</numerusform>
            <numerusform>%n éléments n’ont pas pu être synchronisés</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder path</source>
        <translation>Chemin du dossier</translation>
    </message>
    <message>
        <source>&amp;Open the folder</source>
        <translation>&amp;Ouvrir le dossier</translation>
    </message>
    <message>
        <source>Open the folder in the file manager</source>
        <translation>Ouvrir le dossier dans le gestionnaire de fichiers</translation>
    </message>
    <message>
        <source>Waiting for you: a deletion must be confirmed</source>
        <translation>En attente de votre décision : une suppression est à confirmer</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for you: %n conflict(s) to settle</source>
        <translation>
            <numerusform>En attente de votre décision : %n conflit à régler</numerusform>
            <numerusform>En attente de votre décision : %n conflits à régler</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Needs attention: %n item(s) could not be synced</source>
        <translation>
            <numerusform>À vérifier : %n élément n&apos;a pas pu être synchronisé</numerusform>
            <numerusform>À vérifier : %n éléments n&apos;ont pas pu être synchronisés</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>{size}/s</source>
        <translation>{size}/s</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>Paused (metered network)</source>
        <translation>En pause (connexion limitée)</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>À jour</translation>
    </message>
    <message>
        <source>Looking for changes</source>
        <translation>Recherche de modifications</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Synchronisation en cours</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Intervention requise</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Ajouté</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Modifié</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Supprimé</translation>
    </message>
    <message>
        <source>Renamed</source>
        <translation>Renommé</translation>
    </message>
    <message>
        <source>Conflict copy</source>
        <translation>Copie de conflit</translation>
    </message>
    <message>
        <source>Added (received)</source>
        <translation>Ajouté (reçu)</translation>
    </message>
    <message>
        <source>Modified (received)</source>
        <translation>Modifié (reçu)</translation>
    </message>
    <message>
        <source>Deleted (moved to quarantine)</source>
        <translation>Supprimé (mis en quarantaine)</translation>
    </message>
    <message>
        <source>Renamed (received)</source>
        <translation>Renommé (reçu)</translation>
    </message>
    <message>
        <source>Paused (battery saver)</source>
        <translation>En pause (économie de batterie)</translation>
    </message>
</context>
<context>
    <name>HeldDeletionPanel</name>
    <message>
        <source>Held deletion</source>
        <translation>Suppression en attente</translation>
    </message>
    <message>
        <source>Held deletion details</source>
        <translation>Détails de la suppression en attente</translation>
    </message>
    <message>
        <source>&amp;Keep the files</source>
        <translation>&amp;Conserver les fichiers</translation>
    </message>
    <message>
        <source>Keep the files and cancel the deletion</source>
        <translation>Conserver les fichiers et annuler la suppression</translation>
    </message>
    <message>
        <source>&amp;Delete them</source>
        <translation>&amp;Les supprimer</translation>
    </message>
    <message>
        <source>Confirm the deletion</source>
        <translation>Confirmer la suppression</translation>
    </message>
    <message numerus="yes">
        <source>Syncing would delete %n file(s) in {folder}. Nothing was deleted: confirm if this is what you want, or keep the files.</source>
        <translation>
            <numerusform>La synchronisation supprimerait %n fichier dans {folder}. Rien n’a été supprimé : confirmez si c’est bien ce que vous voulez, ou gardez le fichier.</numerusform>
            <numerusform>La synchronisation supprimerait %n fichiers dans {folder}. Rien n’a été supprimé : confirmez si c’est bien ce que vous voulez, ou gardez les fichiers.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>et %n autre</numerusform>
            <numerusform>et %n autres</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>Retention</source>
        <translation>Conservation</translation>
    </message>
    <message>
        <source>Versions the retention keeps</source>
        <translation>Versions conservées</translation>
    </message>
    <message>
        <source>The vault&apos;s retention keeps every version.</source>
        <translation>Le coffre conserve toutes ces versions.</translation>
    </message>
    <message>
        <source>Past the vault&apos;s retention: {expiring} of {total} versions. The next clean-up of the storage frees them; restore one now if you still need it.</source>
        <translation>Versions hors de la durée de conservation du coffre : {expiring} sur {total}. Le prochain nettoyage du stockage les efface ; restaurez-en une maintenant si vous en avez encore besoin.</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>conservée</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expirée</translation>
    </message>
    <message>
        <source>The vault&apos;s retention no longer keeps this version: the next clean-up of the storage frees it. Restore it now if you still need it.</source>
        <translation>Le coffre ne conserve plus cette version : le prochain nettoyage du stockage l’efface. Restaurez-la maintenant si vous en avez encore besoin.</translation>
    </message>
    <message>
        <source>Find a file</source>
        <translation>Rechercher un fichier</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versions</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>&amp;Restore this version</source>
        <translation>&amp;Restaurer cette version</translation>
    </message>
    <message>
        <source>Restore the selected version</source>
        <translation>Restaurer la version sélectionnée</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <source>Refresh the file list</source>
        <translation>Actualiser la liste des fichiers</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>supprimé</translation>
    </message>
    <message>
        <source>Restored {path}.</source>
        <translation>{path} a été restauré.</translation>
    </message>
    <message>
        <source>{when} (current version)</source>
        <translation>{when} (version actuelle)</translation>
    </message>
    <message>
        <source>This is the version in your folder now.</source>
        <translation>C&apos;est la version présente dans votre dossier.</translation>
    </message>
    <message>
        <source>Erase for &amp;good…</source>
        <translation>Effacer &amp;définitivement…</translation>
    </message>
    <message>
        <source>Erase this file and all its versions from the storage and every device</source>
        <translation>Effacer ce fichier et toutes ses versions du stockage et de tous les appareils</translation>
    </message>
    <message>
        <source>{path} was erased ({count} versions).</source>
        <translation>{path} a été effacé ({count} versions).</translation>
    </message>
</context>
<context>
    <name>IdentityMenu</name>
    <message>
        <source>My &amp;identity</source>
        <translation>Mon &amp;identité</translation>
    </message>
    <message>
        <source>&amp;Verify a colleague…</source>
        <translation>&amp;Vérifier un collègue…</translation>
    </message>
</context>
<context>
    <name>IdentityPanel</name>
    <message>
        <source>Your fingerprint:</source>
        <translation>Votre empreinte :</translation>
    </message>
    <message>
        <source>Your fingerprint identifies your keys. With a colleague, you compare the safety number instead: Coffre makes it from both your cards and shows it in “Verify a colleague” and in “Share…”. Read it aloud by phone or in person, never by mail: if all 30 digits are the same on both sides, each of you really has the other&apos;s card.</source>
        <translation>Votre empreinte identifie vos clés. Avec un collègue, vous comparez plutôt le numéro de sécurité : Coffre le calcule à partir de vos deux cartes et l’affiche dans « Vérifier un collègue » et dans « Partager… ». Lisez-le à voix haute, par téléphone ou en personne, jamais par courriel : si les 30 chiffres sont les mêmes des deux côtés, chacun de vous a bien la carte de l’autre.</translation>
    </message>
    <message>
        <source>This QR code holds your identity number and fingerprint, for a colleague to check your card with their phone. Your full card (about 9 KB of post-quantum keys) does not fit in a QR code: send it as a file or as text.</source>
        <translation>Ce QR code contient le numéro de votre identité et votre empreinte, pour qu’un collègue vérifie votre carte avec son téléphone. Votre carte complète (environ 9 Ko de clés post-quantiques) ne tient pas dans un QR code : envoyez-la en fichier ou en texte.</translation>
    </message>
    <message>
        <source>Your identity &amp;card:</source>
        <translation>Votre &amp;carte d’identité :</translation>
    </message>
    <message>
        <source>Your identity card</source>
        <translation>Votre carte d’identité</translation>
    </message>
    <message>
        <source>&amp;Copy the card</source>
        <translation>&amp;Copier la carte</translation>
    </message>
    <message>
        <source>My &amp;identity…</source>
        <translation>Mon &amp;identité…</translation>
    </message>
    <message>
        <source>My identity</source>
        <translation>Mon identité</translation>
    </message>
    <message>
        <source>You have no identity on this computer yet. To share folders with colleagues, create one with “My identity…”.</source>
        <translation>Vous n’avez pas encore d’identité sur cet ordinateur. Pour partager des dossiers avec des collègues, créez-en une avec « Mon identité… ».</translation>
    </message>
    <message>
        <source>The identity kept on this computer cannot be read: open “My identity…” to see which file is damaged.</source>
        <translation>L’identité conservée sur cet ordinateur est illisible : ouvrez « Mon identité… » pour voir quel fichier est abîmé.</translation>
    </message>
    <message>
        <source>Your fingerprint: {groups}</source>
        <translation>Votre empreinte : {groups}</translation>
    </message>
    <message>
        <source>QR code of your identity number and fingerprint: {uri}</source>
        <translation>QR code du numéro de votre identité et de votre empreinte : {uri}</translation>
    </message>
    <message>
        <source>Your card is copied: paste it into a mail to your colleagues.</source>
        <translation>Votre carte est copiée : collez-la dans un courriel à vos collègues.</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <source>Add another computer</source>
        <translation>Ajouter un autre ordinateur</translation>
    </message>
    <message>
        <source>On the other computer, install Coffre and open it. In the setup assistant, choose &lt;b&gt;Join an existing vault&lt;/b&gt;, type the store address below and the vault&apos;s passphrase, then choose the folder to sync. Both computers then keep the same files.</source>
        <translation>Sur l&apos;autre ordinateur, installez Coffre et ouvrez-le. Dans l&apos;assistant de configuration, choisissez &lt;b&gt;Rejoindre un coffre existant&lt;/b&gt;, tapez l&apos;adresse du stockage ci-dessous et la phrase de passe du coffre, puis choisissez le dossier à synchroniser. Les deux ordinateurs garderont alors les mêmes fichiers.</translation>
    </message>
    <message>
        <source>Store address:</source>
        <translation>Adresse du stockage :</translation>
    </message>
    <message>
        <source>Or, in a terminal on the other computer:</source>
        <translation>Ou, dans un terminal sur l&apos;autre ordinateur :</translation>
    </message>
    <message>
        <source>Command:</source>
        <translation>Commande :</translation>
    </message>
    <message>
        <source>This vault is kept in a folder of this computer only: another computer cannot reach it. Move it to a shared storage first (a network folder, an S3 or WebDAV server your organisation provides).</source>
        <translation>Ce coffre est rangé dans un dossier de cet ordinateur seulement : un autre ordinateur ne peut pas l&apos;atteindre. Déplacez-le d&apos;abord vers un stockage partagé (un dossier réseau, un serveur S3 ou WebDAV fourni par votre organisation).</translation>
    </message>
    <message>
        <source>The other computer also needs its own access to this storage (access key or account): ask the person who manages it.</source>
        <translation>L&apos;autre ordinateur a aussi besoin de son propre accès à ce stockage (clé d&apos;accès ou compte) : demandez-le à la personne qui le gère.</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Copy: {what}</source>
        <translation>Copier : {what}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Coffre</source>
        <translation>Coffre</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Dossier :</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Vues</translation>
    </message>
    <message>
        <source>No folder is synced yet. Your files in {folder} will be kept in an encrypted vault in {store}.</source>
        <translation>Aucun dossier n&apos;est encore synchronisé. Vos fichiers de {folder} seront conservés dans un coffre chiffré, dans {store}.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation>É&amp;tat</translation>
    </message>
    <message>
        <source>&amp;Activity</source>
        <translation>&amp;Activité</translation>
    </message>
    <message>
        <source>&amp;Conflicts</source>
        <translation>&amp;Conflits</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;Historique</translation>
    </message>
    <message>
        <source>&amp;Quarantine</source>
        <translation>&amp;Quarantaine</translation>
    </message>
    <message>
        <source>The deletion could not be cancelled</source>
        <translation>La suppression n&apos;a pas pu être annulée</translation>
    </message>
    <message>
        <source>&amp;Conflicts ({count})</source>
        <translation>&amp;Conflits ({count})</translation>
    </message>
    <message>
        <source>The key remembered on this computer no longer opens this vault (it may have been replaced). Type the passphrase again.</source>
        <translation>La clé mémorisée sur cet ordinateur ne permet plus d’ouvrir ce coffre (il a peut-être été remplacé). Tapez à nouveau la phrase de passe.</translation>
    </message>
    <message>
        <source>The passphrase was not remembered</source>
        <translation>La phrase de passe n’a pas été mémorisée</translation>
    </message>
    <message>
        <source>This computer&apos;s keyring could not keep the vault key (it may be locked or missing). Syncing goes on; Coffre will ask for the passphrase at the next start.</source>
        <translation>Le trousseau de cet ordinateur n’a pas pu garder la clé du coffre (il est peut-être verrouillé ou absent). La synchronisation continue ; Coffre demandera la phrase de passe au prochain démarrage.</translation>
    </message>
    <message>
        <source>&amp;Coffre</source>
        <translation>&amp;Coffre</translation>
    </message>
    <message>
        <source>&amp;Add a folder…</source>
        <translation>&amp;Ajouter un dossier…</translation>
    </message>
    <message>
        <source>Add another &amp;computer…</source>
        <translation>Ajouter un autre &amp;ordinateur…</translation>
    </message>
    <message>
        <source>Open the &amp;folder</source>
        <translation>Ouvrir le &amp;dossier</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
</context>
<context>
    <name>MovePage</name>
    <message>
        <source>Moving the vault</source>
        <translation>Déménagement du coffre</translation>
    </message>
    <message>
        <source>Every file of the vault is copied to the new storage and read back. The old storage then tells your other computers where the vault went: they follow on their next sync.</source>
        <translation>Chaque fichier du coffre est copié vers le nouveau stockage puis relu. L’ancien stockage indique ensuite à vos autres ordinateurs où se trouve le coffre : ils suivent lors de leur prochaine synchronisation.</translation>
    </message>
    <message>
        <source>Copying and checking…</source>
        <translation>Copie et vérification…</translation>
    </message>
    <message>
        <source>Unlock the folder first, then try again.</source>
        <translation>Déverrouillez d’abord le dossier, puis réessayez.</translation>
    </message>
    <message>
        <source>The vault was not moved: %1
Nothing was lost; you can try again (the copy resumes where it stopped).</source>
        <translation>Le coffre n’a pas été déplacé : %1
Rien n’a été perdu ; vous pouvez réessayer (la copie reprend là où elle s’est arrêtée).</translation>
    </message>
    <message>
        <source>The vault is now at %1. Keep the old storage until your other computers have synced once.</source>
        <translation>Le coffre se trouve maintenant dans %1. Conservez l’ancien stockage jusqu’à ce que vos autres ordinateurs se soient synchronisés une fois.</translation>
    </message>
</context>
<context>
    <name>MoveStoreDialog</name>
    <message>
        <source>Where should the vault move to?</source>
        <translation>Où déplacer le coffre ?</translation>
    </message>
    <message>
        <source>Choose the shared storage your organisation gave you. It must be empty: Coffre copies the vault there, and your other computers follow.</source>
        <translation>Choisissez le stockage partagé que votre organisation vous a fourni. Il doit être vide : Coffre y copie le coffre, et vos autres ordinateurs suivent.</translation>
    </message>
    <message>
        <source>Connect to a shared storage</source>
        <translation>Connecter à un stockage partagé</translation>
    </message>
    <message>
        <source>Connect to a &amp;shared storage…</source>
        <translation>Connecter à un &amp;stockage partagé…</translation>
    </message>
    <message>
        <source>Add a folder first.</source>
        <translation>Ajoutez d’abord un dossier.</translation>
    </message>
</context>
<context>
    <name>MyIdentityDialog</name>
    <message>
        <source>My identity</source>
        <translation>Mon identité</translation>
    </message>
    <message>
        <source>To share folders with colleagues, you need an identity: keys that prove who you are. Coffre creates them on this computer; your colleagues receive your identity card, never your private keys.</source>
        <translation>Pour partager des dossiers avec vos collègues, il vous faut une identité : des clés qui prouvent qui vous êtes. Coffre les crée sur cet ordinateur ; vos collègues reçoivent votre carte d’identité, jamais vos clés privées.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Votre nom</translation>
    </message>
    <message>
        <source>Your &amp;name:</source>
        <translation>Votre &amp;nom :</translation>
    </message>
    <message>
        <source>Your colleagues will see this name. Your first and last name is best.</source>
        <translation>Vos collègues verront ce nom. Le mieux est votre prénom et votre nom.</translation>
    </message>
    <message>
        <source>This computer has no system keyring that can keep your private keys. Coffre keeps them in a file protected by a passphrase instead: choose one, and keep it as carefully as your vault&apos;s passphrase.</source>
        <translation>Cet ordinateur n’a pas de trousseau système pouvant garder vos clés privées. Coffre les garde donc dans un fichier protégé par une phrase de passe : choisissez-en une, et gardez-la aussi soigneusement que la phrase de passe de votre coffre.</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Phrase de passe</translation>
    </message>
    <message>
        <source>Passphrase, again</source>
        <translation>Phrase de passe, à nouveau</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Phrase de passe :</translation>
    </message>
    <message>
        <source>Type it &amp;again:</source>
        <translation>Saisissez-la à &amp;nouveau :</translation>
    </message>
    <message>
        <source>Creating your identity</source>
        <translation>Création de votre identité</translation>
    </message>
    <message>
        <source>C&amp;reate my identity</source>
        <translation>C&amp;réer mon identité</translation>
    </message>
    <message>
        <source>Your fingerprint:</source>
        <translation>Votre empreinte :</translation>
    </message>
    <message>
        <source>Your identity &amp;card:</source>
        <translation>Votre &amp;carte d’identité :</translation>
    </message>
    <message>
        <source>Your identity card</source>
        <translation>Votre carte d’identité</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Copy the identity card</source>
        <translation>Copier la carte d’identité</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>&amp;Enregistrer…</translation>
    </message>
    <message>
        <source>Save the identity card to a file</source>
        <translation>Enregistrer la carte d’identité dans un fichier</translation>
    </message>
    <message>
        <source>Send this card by mail to the colleagues who will share folders with you (paste it, or attach the saved file). It holds no secret. Then compare the safety number Coffre shows each of you, by phone or in person: that is what proves the card is really yours.</source>
        <translation>Envoyez cette carte par courriel aux collègues qui partageront des dossiers avec vous (collez-la, ou joignez le fichier enregistré). Elle ne contient aucun secret. Comparez ensuite le numéro de sécurité que Coffre affiche à chacun de vous, par téléphone ou en personne : c’est ce qui prouve que la carte est bien la vôtre.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Details: {why}</source>
        <translation>Détails : {why}</translation>
    </message>
    <message>
        <source>Your fingerprint: {groups}</source>
        <translation>Votre empreinte : {groups}</translation>
    </message>
    <message>
        <source>The identity kept on this computer ({path}) cannot be read, so it is not shown. Nothing was changed; tell your IT department.</source>
        <translation>L’identité gardée sur cet ordinateur ({path}) ne peut pas être lue ; elle n’est donc pas affichée. Rien n’a été modifié : prévenez votre service informatique.</translation>
    </message>
    <message>
        <source>Your private keys are kept in this computer&apos;s system keyring.</source>
        <translation>Vos clés privées sont gardées dans le trousseau système de cet ordinateur.</translation>
    </message>
    <message>
        <source>Your private keys are kept on this computer in a file protected by your passphrase.</source>
        <translation>Vos clés privées sont gardées sur cet ordinateur, dans un fichier protégé par votre phrase de passe.</translation>
    </message>
    <message>
        <source>Type your name.</source>
        <translation>Saisissez votre nom.</translation>
    </message>
    <message>
        <source>This name cannot be used: it is too long or holds a line break or a tab. Type your first and last name on one line.</source>
        <translation>Ce nom ne peut pas être utilisé : il est trop long, ou contient un retour à la ligne ou une tabulation. Saisissez votre prénom et votre nom sur une seule ligne.</translation>
    </message>
    <message>
        <source>Choose a passphrase.</source>
        <translation>Choisissez une phrase de passe.</translation>
    </message>
    <message>
        <source>This passphrase is too easy to guess: see the advice above.</source>
        <translation>Cette phrase de passe est trop facile à deviner : voyez les conseils ci-dessus.</translation>
    </message>
    <message>
        <source>The two passphrases are different.</source>
        <translation>Les deux phrases de passe sont différentes.</translation>
    </message>
    <message>
        <source>Your identity could not be created; nothing was changed.</source>
        <translation>Votre identité n’a pas pu être créée ; rien n’a été modifié.</translation>
    </message>
    <message>
        <source>Your card is copied: paste it into a mail to your colleagues.</source>
        <translation>Votre carte est copiée : collez-la dans un courriel à vos collègues.</translation>
    </message>
    <message>
        <source>coffre-card</source>
        <translation>carte-coffre</translation>
    </message>
    <message>
        <source>Save your identity card</source>
        <translation>Enregistrer votre carte d’identité</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Fichiers texte (*.txt)</translation>
    </message>
    <message>
        <source>The card could not be saved in {path}: {why}</source>
        <translation>La carte n’a pas pu être enregistrée dans {path} : {why}</translation>
    </message>
    <message>
        <source>Your card is saved in {path}: attach this file to a mail.</source>
        <translation>Votre carte est enregistrée dans {path} : joignez ce fichier à un courriel.</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>Conflict in {folder}</source>
        <translation>Conflit dans {folder}</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) were changed on two devices at once.</source>
        <translation>
            <numerusform>%n fichier a été modifié sur deux appareils en même temps.</numerusform>
            <numerusform>%n fichiers ont été modifiés sur deux appareils en même temps.</numerusform>
        </translation>
    </message>
    <message>
        <source>{path} was changed on two devices at once.</source>
        <translation>{path} a été modifié sur deux appareils en même temps.</translation>
    </message>
    <message>
        <source>Both versions are kept; open Coffre to choose.</source>
        <translation>Les deux versions sont conservées ; ouvrez Coffre pour choisir.</translation>
    </message>
    <message>
        <source>Coffre needs your passphrase</source>
        <translation>Coffre a besoin de votre phrase de passe</translation>
    </message>
    <message>
        <source>The folder {folder} is not syncing yet: click the Coffre icon, or open Coffre, to unlock it.</source>
        <translation>Le dossier {folder} n’est pas encore synchronisé : cliquez sur l’icône de Coffre, ou ouvrez Coffre, pour le déverrouiller.</translation>
    </message>
    <message>
        <source>Deletion held in {folder}</source>
        <translation>Suppression en attente dans {folder}</translation>
    </message>
    <message numerus="yes">
        <source>Syncing would delete %n file(s). Nothing was deleted: open Coffre to confirm or keep them.</source>
        <translation>
            <numerusform>La synchronisation supprimerait %n fichier. Rien n’a été supprimé : ouvrez Coffre pour confirmer ou le garder.</numerusform>
            <numerusform>La synchronisation supprimerait %n fichiers. Rien n’a été supprimé : ouvrez Coffre pour confirmer ou les garder.</numerusform>
        </translation>
    </message>
    <message>
        <source>New member in {folder}</source>
        <translation>Nouveau membre dans {folder}</translation>
    </message>
    <message>
        <source>{name} now shares this folder.</source>
        <translation>{name} partage désormais ce dossier.</translation>
    </message>
    <message numerus="yes">
        <source>{name} and %n other person(s) now share this folder.</source>
        <translation>
            <numerusform>{name} et %n autre personne partagent désormais ce dossier.</numerusform>
            <numerusform>{name} et %n autres personnes partagent désormais ce dossier.</numerusform>
        </translation>
    </message>
    <message>
        <source>A member left {folder}</source>
        <translation>Un membre a quitté {folder}</translation>
    </message>
    <message>
        <source>{name} no longer shares this folder: files changed from now on are encrypted with a key they do not have.</source>
        <translation>{name} ne partage plus ce dossier : les fichiers modifiés à partir de maintenant sont chiffrés avec une clé que cette personne n’a pas.</translation>
    </message>
    <message numerus="yes">
        <source>{name} and %n other person(s) no longer share this folder.</source>
        <translation>
            <numerusform>{name} et %n autre personne ne partagent plus ce dossier.</numerusform>
            <numerusform>{name} et %n autres personnes ne partagent plus ce dossier.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync stopped in {folder}</source>
        <translation>Synchronisation arrêtée dans {folder}</translation>
    </message>
    <message>
        <source>Open Coffre to see what happened.</source>
        <translation>Ouvrez Coffre pour savoir ce qui s&apos;est passé.</translation>
    </message>
    <message>
        <source>The vault of {folder} moved</source>
        <translation>Le coffre de {folder} a déménagé</translation>
    </message>
    <message>
        <source>This folder now syncs with {store}.</source>
        <translation>Ce dossier se synchronise désormais avec {store}.</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Unlock {name}</source>
        <translation>Déverrouiller {name}</translation>
    </message>
    <message>
        <source>Type the passphrase of the vault that {folder} is synced with.</source>
        <translation>Saisissez la phrase de passe du coffre avec lequel {folder} est synchronisé.</translation>
    </message>
    <message>
        <source>Why the vault could not be unlocked</source>
        <translation>Raison de l&apos;échec du déverrouillage</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Déverrouiller</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>PurgeDialog</name>
    <message>
        <source>Erase for good</source>
        <translation>Effacer définitivement</translation>
    </message>
    <message>
        <source>Erase {path} and its {count} versions for good?</source>
        <translation>Effacer définitivement {path} et ses {count} versions ?</translation>
    </message>
    <message>
        <source>It is removed from the shared storage and from the history of every device, which also move their copy out of the folder. This cannot be undone: no version can be restored afterwards, not even by your IT department.</source>
        <translation>Il est retiré du stockage partagé et de l’historique de tous les appareils, qui sortent aussi leur copie du dossier. Cette opération est irréversible : aucune version ne pourra être restaurée ensuite, pas même par votre service informatique.</translation>
    </message>
    <message>
        <source>&amp;Erase for good</source>
        <translation>&amp;Effacer définitivement</translation>
    </message>
</context>
<context>
    <name>QuarantineView</name>
    <message numerus="yes">
        <source>Files that were deleted on another device are kept here for %n day(s).</source>
        <translation>
            <numerusform>Les fichiers supprimés sur un autre appareil sont conservés ici pendant %n jour.</numerusform>
            <numerusform>Les fichiers supprimés sur un autre appareil sont conservés ici pendant %n jours.</numerusform>
        </translation>
    </message>
    <message>
        <source>Files removed by sync</source>
        <translation>Fichiers retirés par la synchronisation</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Retiré le</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>&amp;Restaurer</translation>
    </message>
    <message>
        <source>Put the selected file back</source>
        <translation>Remettre le fichier sélectionné à sa place</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <source>Refresh the quarantine</source>
        <translation>Actualiser la quarantaine</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Restored {path}.</source>
        <translation>{path} a été restauré.</translation>
    </message>
</context>
<context>
    <name>RememberKey</name>
    <message>
        <source>&amp;Remember on this computer</source>
        <translation>&amp;Mémoriser sur cet ordinateur</translation>
    </message>
    <message>
        <source>Remember the vault key on this computer</source>
        <translation>Mémoriser la clé du coffre sur cet ordinateur</translation>
    </message>
    <message>
        <source>Coffre then opens by itself when you log in: a key for this computer is kept in its keyring, protected by your session password, and any program you run in your session could use it to read the vault, until you forget this computer (Coffre menu) or change the passphrase. Tick only on a computer that you alone use.</source>
        <translation>Coffre s’ouvre alors tout seul à votre connexion : une clé propre à cet ordinateur est gardée dans son trousseau, protégée par le mot de passe de votre session, et tout programme lancé dans votre session pourrait s’en servir pour lire le coffre, jusqu’à ce que vous oubliiez cet ordinateur (menu Coffre) ou changiez la phrase de passe. Ne cochez que sur un ordinateur dont vous êtes le seul utilisateur.</translation>
    </message>
</context>
<context>
    <name>RemoveDialog</name>
    <message>
        <source>Files changed from now on are encrypted with a new key that {name} never receives.</source>
        <translation>Les fichiers modifiés à partir de maintenant sont chiffrés avec une nouvelle clé que {name} ne reçoit jamais.</translation>
    </message>
    <message>
        <source>What {name} already downloaded stays on their computers: no removal can take it back.</source>
        <translation>Ce que {name} a déjà téléchargé reste sur ses ordinateurs : aucun retrait ne peut le reprendre.</translation>
    </message>
    <message>
        <source>The older keys {name} held still open the files as they were before the removal, if {name} can still reach the storage. Check “Re-encrypt” to encrypt them again under the new key.</source>
        <translation>Les anciennes clés que détenait {name} ouvrent encore les fichiers tels qu’ils étaient avant le retrait, si {name} accède encore au stockage. Cochez « Rechiffrer » pour les chiffrer de nouveau avec la nouvelle clé.</translation>
    </message>
    <message>
        <source>The folder&apos;s files are encrypted again under the new key: the older keys {name} held no longer open them. This uploads the whole folder again and may take a while.</source>
        <translation>Les fichiers du dossier sont chiffrés de nouveau avec la nouvelle clé : les anciennes clés que détenait {name} ne les ouvrent plus. Tout le dossier est alors envoyé de nouveau, ce qui peut prendre du temps.</translation>
    </message>
    <message>
        <source>Ask your IT department to withdraw the storage access (account, password or access key) {name} used: Coffre cannot do it.</source>
        <translation>Demandez à votre service informatique de retirer l’accès au stockage (compte, mot de passe ou clé d’accès) qu’utilisait {name} : Coffre ne peut pas le faire.</translation>
    </message>
    <message>
        <source>If {name} knew the vault&apos;s passphrase, change it (Coffre menu, “Change the passphrase…”): the passphrase opens every key.</source>
        <translation>Si {name} connaissait la phrase de passe du coffre, changez-la (menu Coffre, « Changer la phrase de passe… ») : la phrase de passe ouvre toutes les clés.</translation>
    </message>
    <message>
        <source>Remove a computer</source>
        <translation>Retirer un ordinateur</translation>
    </message>
    <message>
        <source>Remove from the folder</source>
        <translation>Retirer du dossier</translation>
    </message>
    <message>
        <source>Remove the computer {name} from this folder?</source>
        <translation>Retirer l’ordinateur {name} de ce dossier ?</translation>
    </message>
    <message>
        <source>Remove {name} from this folder?</source>
        <translation>Retirer {name} de ce dossier ?</translation>
    </message>
    <message>
        <source>What the removal does and cannot do</source>
        <translation>Ce que fait le retrait et ce qu’il ne peut pas faire</translation>
    </message>
    <message>
        <source>&amp;Re-encrypt the folder&apos;s files under the new key</source>
        <translation>&amp;Rechiffrer les fichiers du dossier avec la nouvelle clé</translation>
    </message>
    <message>
        <source>Re&amp;move the computer</source>
        <translation>Re&amp;tirer l’ordinateur</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>Re&amp;tirer</translation>
    </message>
</context>
<context>
    <name>SecretFields</name>
    <message>
        <source>Passphrase</source>
        <translation>Phrase de passe</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Clé de secours</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>Nouvelle phrase de passe</translation>
    </message>
    <message>
        <source>New passphrase, again</source>
        <translation>Nouvelle phrase de passe, à nouveau</translation>
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
        <source>What to fix</source>
        <translation>Ce qu’il faut corriger</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Phrase de passe :</translation>
    </message>
    <message>
        <source>&amp;Recovery key:</source>
        <translation>&amp;Clé de secours :</translation>
    </message>
    <message>
        <source>&amp;New passphrase:</source>
        <translation>&amp;Nouvelle phrase de passe :</translation>
    </message>
    <message>
        <source>Type it &amp;again:</source>
        <translation>Saisissez-la à &amp;nouveau :</translation>
    </message>
    <message>
        <source>Use the passphrase instead</source>
        <translation>Utiliser plutôt la phrase de passe</translation>
    </message>
    <message>
        <source>Type the recovery key you wrote down when the vault was created, then choose a new passphrase. The forgotten passphrase stops working on every computer; type the new one there.</source>
        <translation>Saisissez la clé de secours notée à la création du coffre, puis choisissez une nouvelle phrase de passe. La phrase oubliée cesse de fonctionner sur tous les ordinateurs ; saisissez-y la nouvelle.</translation>
    </message>
    <message>
        <source>Type the recovery key.</source>
        <translation>Saisissez la clé de secours.</translation>
    </message>
    <message>
        <source>This recovery key contains a typo or is incomplete: it has 32 characters in 8 groups of 4. Compare it with the printed key.</source>
        <translation>Cette clé de secours contient une faute de frappe ou est incomplète : elle compte 32 caractères en 8 groupes de 4. Comparez-la avec la clé imprimée.</translation>
    </message>
    <message>
        <source>Type the passphrase.</source>
        <translation>Saisissez la phrase de passe.</translation>
    </message>
    <message>
        <source>This new passphrase is too easy to guess: see the advice above.</source>
        <translation>Cette nouvelle phrase de passe est trop facile à deviner : suivez le conseil ci-dessus.</translation>
    </message>
    <message>
        <source>The two new passphrases are different.</source>
        <translation>Les deux nouvelles phrases de passe sont différentes.</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <source>Owner</source>
        <translation>Propriétaire</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>Éditeur</translation>
    </message>
    <message>
        <source>Reader</source>
        <translation>Lecteur</translation>
    </message>
    <message>
        <source>Owners change files and decide who shares the folder.</source>
        <translation>Les propriétaires modifient les fichiers et décident qui partage le dossier.</translation>
    </message>
    <message>
        <source>Editors change files; they cannot add or remove anyone.</source>
        <translation>Les éditeurs modifient les fichiers ; ils ne peuvent ajouter ni retirer personne.</translation>
    </message>
    <message>
        <source>Readers receive the files but cannot change them: what they change stays on their computer and is not synced.</source>
        <translation>Les lecteurs reçoivent les fichiers mais ne peuvent pas les modifier : ce qu’ils modifient reste sur leur ordinateur et n’est pas synchronisé.</translation>
    </message>
    <message>
        <source>Share {folder}</source>
        <translation>Partager {folder}</translation>
    </message>
    <message>
        <source>&amp;People who share this folder:</source>
        <translation>&amp;Personnes qui partagent ce dossier :</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Empreinte</translation>
    </message>
    <message>
        <source>People who share this folder</source>
        <translation>Personnes qui partagent ce dossier</translation>
    </message>
    <message>
        <source>Change the &amp;role</source>
        <translation>Changer le &amp;rôle</translation>
    </message>
    <message>
        <source>Make {role}</source>
        <translation>Passer en {role}</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>Re&amp;tirer…</translation>
    </message>
    <message>
        <source>Remove the selected person or computer</source>
        <translation>Retirer la personne ou l’ordinateur sélectionné</translation>
    </message>
    <message>
        <source>Add a colleague</source>
        <translation>Ajouter un collègue</translation>
    </message>
    <message>
        <source>Paste the identity card your colleague sent you, or choose the file they attached to their mail.</source>
        <translation>Collez la carte d’identité que votre collègue vous a envoyée, ou choisissez le fichier joint à son courriel.</translation>
    </message>
    <message>
        <source>Your colleague&apos;s identity card</source>
        <translation>La carte d’identité de votre collègue</translation>
    </message>
    <message>
        <source>Role of the new member</source>
        <translation>Rôle du nouveau membre</translation>
    </message>
    <message>
        <source>Their r&amp;ole:</source>
        <translation>Son r&amp;ôle :</translation>
    </message>
    <message>
        <source>C&amp;hoose a file…</source>
        <translation>C&amp;hoisir un fichier…</translation>
    </message>
    <message>
        <source>Choose the card&apos;s file</source>
        <translation>Choisir le fichier de la carte</translation>
    </message>
    <message>
        <source>Safety number:</source>
        <translation>Numéro de sécurité :</translation>
    </message>
    <message>
        <source>&amp;Add to the folder</source>
        <translation>&amp;Ajouter au dossier</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Opération en cours</translation>
    </message>
    <message>
        <source>Change the &amp;passphrase…</source>
        <translation>Changer la &amp;phrase de passe…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>The people who share this folder could not be listed.</source>
        <translation>Impossible d’afficher les personnes qui partagent ce dossier.</translation>
    </message>
    <message>
        <source>Details: {why}</source>
        <translation>Détails : {why}</translation>
    </message>
    <message>
        <source>Reading who shares this folder…</source>
        <translation>Lecture des personnes qui partagent ce dossier…</translation>
    </message>
    <message>
        <source>You are {role} of this folder. {help}</source>
        <translation>Votre rôle dans ce dossier : {role}. {help}</translation>
    </message>
    <message>
        <source>(you)</source>
        <translation>(vous)</translation>
    </message>
    <message>
        <source>(this computer)</source>
        <translation>(cet ordinateur)</translation>
    </message>
    <message>
        <source>You can remove your other computers; an owner removes the others.</source>
        <translation>Vous pouvez retirer vos autres ordinateurs ; un propriétaire retire les autres.</translation>
    </message>
    <message>
        <source>Only an owner of the folder adds, removes or changes roles.</source>
        <translation>Seul un propriétaire du dossier ajoute, retire ou change les rôles.</translation>
    </message>
    <message>
        <source>{name} already shares this folder, as {role}.</source>
        <translation>{name} partage déjà ce dossier (rôle : {role}).</translation>
    </message>
    <message>
        <source>Careful: {name} already shares this folder with other keys (fingerprint {fingerprint}). If {name} made a new identity, compare the safety number below with them by phone before adding it, then remove the old one. Otherwise this card is not theirs: do not add it.</source>
        <translation>Attention : {name} partage déjà ce dossier avec d’autres clés (empreinte {fingerprint}). Si {name} s’est fait une nouvelle identité, comparez avec cette personne, par téléphone, le numéro de sécurité ci-dessous avant de l’ajouter, puis retirez l’ancienne. Sinon, cette carte n’est pas la sienne : ne l’ajoutez pas.</translation>
    </message>
    <message>
        <source>The card of &lt;b&gt;{name}&lt;/b&gt; is intact. Fingerprint: {fingerprint}</source>
        <translation>La carte de &lt;b&gt;{name}&lt;/b&gt; est intacte. Empreinte : {fingerprint}</translation>
    </message>
    <message>
        <source>Before adding {name}, call them or meet them; not by mail or chat, which could be the way the card was swapped. {name} opens “Verify a colleague” with your card and reads their safety number aloud, one group at a time. Add {name} only if all 30 digits are the same as these.</source>
        <translation>Avant d’ajouter {name}, appelez cette personne ou rencontrez-la ; pas par courriel ni par messagerie, qui pourraient être le chemin par lequel la carte a été échangée. {name} ouvre « Vérifier un collègue » avec votre carte et lit son numéro de sécurité à voix haute, un groupe à la fois. N’ajoutez {name} que si les 30 chiffres sont les mêmes que ceux-ci.</translation>
    </message>
    <message>
        <source>{name} is added as {role}. Their computer receives the folder&apos;s key at its next sync: tell them to open Coffre and join the folder.</source>
        <translation>{name} fait désormais partie du dossier (rôle : {role}). Son ordinateur reçoit la clé du dossier à sa prochaine synchronisation : dites-lui d’ouvrir Coffre et de rejoindre le dossier.</translation>
    </message>
    <message>
        <source>{name} could not be added; nothing was changed.</source>
        <translation>Impossible d’ajouter {name} ; rien n’a été modifié.</translation>
    </message>
    <message>
        <source>Make an owner</source>
        <translation>Nommer un propriétaire</translation>
    </message>
    <message>
        <source>Make {name} an owner of this folder? An owner adds and removes anyone, you included, and changes everyone&apos;s role.</source>
        <translation>Faire de {name} un propriétaire de ce dossier ? Un propriétaire ajoute et retire qui il veut, vous compris, et change le rôle de chacun.</translation>
    </message>
    <message>
        <source>&amp;Make owner</source>
        <translation>&amp;Nommer propriétaire</translation>
    </message>
    <message>
        <source>{name} is now {role}.</source>
        <translation>Nouveau rôle de {name} : {role}.</translation>
    </message>
    <message>
        <source>The role of {name} could not be changed.</source>
        <translation>Impossible de changer le rôle de {name}.</translation>
    </message>
    <message>
        <source>{name} could not be removed; nothing was changed.</source>
        <translation>Impossible de retirer {name} ; rien n’a été modifié.</translation>
    </message>
    <message>
        <source>{name} is removed: files changed from now on are encrypted with a new key. Do not forget to have their storage access withdrawn, and to change the passphrase if they knew it.</source>
        <translation>{name} ne fait plus partie du dossier : les fichiers modifiés à partir de maintenant sont chiffrés avec une nouvelle clé. N’oubliez pas de faire retirer son accès au stockage, et de changer la phrase de passe si cette personne la connaissait.</translation>
    </message>
    <message>
        <source>The computer {name} is removed: files changed from now on are encrypted with a new key. If it was lost or stolen, have the storage access it kept withdrawn, and change the passphrase if it remembered it.</source>
        <translation>L’ordinateur {name} est retiré : les fichiers modifiés à partir de maintenant sont chiffrés avec une nouvelle clé. S’il a été perdu ou volé, faites retirer l’accès au stockage qu’il conservait, et changez la phrase de passe s’il la mémorisait.</translation>
    </message>
    <message>
        <source>The computer {name} could not be removed; nothing was changed.</source>
        <translation>Impossible de retirer l’ordinateur {name} ; rien n’a été modifié.</translation>
    </message>
</context>
<context>
    <name>ShareMenu</name>
    <message>
        <source>S&amp;hare…</source>
        <translation>Par&amp;tager…</translation>
    </message>
    <message>
        <source>Who shares the selected folder: add, remove, change roles.</source>
        <translation>Qui partage le dossier sélectionné : ajouter, retirer, changer les rôles.</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Modifié le</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>&amp;Open this version</source>
        <translation>&amp;Ouvrir cette version</translation>
    </message>
    <message>
        <source>Open this version: {title}</source>
        <translation>Ouvrir cette version : {title}</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>Coffre menu</source>
        <translation>Menu de Coffre</translation>
    </message>
    <message>
        <source>Open the &amp;folder</source>
        <translation>Ouvrir le &amp;dossier</translation>
    </message>
    <message>
        <source>Open &amp;Coffre</source>
        <translation>Ouvrir &amp;Coffre</translation>
    </message>
    <message>
        <source>&amp;Unlock with the passphrase…</source>
        <translation>&amp;Déverrouiller avec la phrase de passe…</translation>
    </message>
    <message>
        <source>&amp;Pause syncing</source>
        <translation>Mettre la synchronisation en &amp;pause</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Coffre: up to date</source>
        <translation>Coffre : à jour</translation>
    </message>
    <message>
        <source>Coffre: syncing</source>
        <translation>Coffre : synchronisation en cours</translation>
    </message>
    <message>
        <source>Coffre: paused</source>
        <translation>Coffre : en pause</translation>
    </message>
    <message>
        <source>Coffre: offline, changes are kept for later</source>
        <translation>Coffre : hors ligne, les modifications seront envoyées plus tard</translation>
    </message>
    <message>
        <source>Coffre: needs your attention</source>
        <translation>Coffre : votre intervention est requise</translation>
    </message>
    <message>
        <source>Coffre: needs your passphrase to start syncing</source>
        <translation>Coffre : a besoin de votre phrase de passe pour synchroniser</translation>
    </message>
    <message>
        <source>Coffre: a conflict or a deletion awaits your choice</source>
        <translation>Coffre : un conflit ou une suppression attend votre décision</translation>
    </message>
    <message>
        <source>&amp;Resume syncing</source>
        <translation>&amp;Reprendre la synchronisation</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
</context>
<context>
    <name>VaultMenu</name>
    <message>
        <source>Change the &amp;passphrase…</source>
        <translation>Changer la &amp;phrase de passe…</translation>
    </message>
    <message>
        <source>&amp;Forget this computer</source>
        <translation>&amp;Oublier cet ordinateur</translation>
    </message>
    <message>
        <source>Delete the key kept for this computer: the passphrase will be asked at the next start.</source>
        <translation>Supprimer la clé gardée pour cet ordinateur : la phrase de passe sera demandée au prochain démarrage.</translation>
    </message>
    <message>
        <source>This computer could not be forgotten: {why}</source>
        <translation>Cet ordinateur n’a pas pu être oublié : {why}</translation>
    </message>
    <message>
        <source>This computer is forgotten for {folder}: its key is deleted from the store and from the keyring. Coffre will ask for the passphrase at the next start.</source>
        <translation>Cet ordinateur est oublié pour {folder} : sa clé est supprimée du stockage et du trousseau. Coffre demandera la phrase de passe au prochain démarrage.</translation>
    </message>
    <message>
        <source>This computer was not remembered for {folder}.</source>
        <translation>Cet ordinateur n’était pas mémorisé pour {folder}.</translation>
    </message>
    <message>
        <source>Forget this computer</source>
        <translation>Oublier cet ordinateur</translation>
    </message>
</context>
<context>
    <name>VerifyColleagueDialog</name>
    <message>
        <source>Verify a colleague</source>
        <translation>Vérifier un collègue</translation>
    </message>
    <message>
        <source>Paste the identity card your colleague sent you, or choose the file they attached to their mail. Coffre checks it and shows the safety number you will compare with them.</source>
        <translation>Collez la carte d’identité que votre collègue vous a envoyée, ou choisissez le fichier joint à son courriel. Coffre la vérifie et affiche le numéro de sécurité que vous comparerez avec lui ou elle.</translation>
    </message>
    <message>
        <source>Your colleague&apos;s &amp;card:</source>
        <translation>La &amp;carte de votre collègue :</translation>
    </message>
    <message>
        <source>Your colleague&apos;s identity card</source>
        <translation>La carte d’identité de votre collègue</translation>
    </message>
    <message>
        <source>C&amp;hoose a file…</source>
        <translation>C&amp;hoisir un fichier…</translation>
    </message>
    <message>
        <source>Choose the card&apos;s file</source>
        <translation>Choisir le fichier de la carte</translation>
    </message>
    <message>
        <source>Safety number:</source>
        <translation>Numéro de sécurité :</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Choose your colleague&apos;s card</source>
        <translation>Choisir la carte de votre collègue</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Fichiers texte (*.txt)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>This is not a Coffre identity card: a card starts with the line “Coffre identity card v1”. Ask your colleague for the text Coffre shows under “My identity”, or the file it saves.</source>
        <translation>Ce n’est pas une carte d’identité Coffre : une carte commence par la ligne « Coffre identity card v1 ». Demandez à votre collègue le texte que Coffre affiche dans « Mon identité », ou le fichier qu’il enregistre.</translation>
    </message>
    <message>
        <source>This card was altered or damaged on the way: what it says does not match its signature, so it cannot be used. Ask your colleague to send it again, unchanged (the saved file, attached to a mail, is safest).</source>
        <translation>Cette carte a été modifiée ou abîmée en chemin : son contenu ne correspond pas à sa signature, elle ne peut donc pas être utilisée. Demandez à votre collègue de vous la renvoyer, sans la modifier (le fichier enregistré, joint à un courriel, est le plus sûr).</translation>
    </message>
    <message>
        <source>The file {path} cannot be read: {why}</source>
        <translation>Le fichier {path} ne peut pas être lu : {why}</translation>
    </message>
    <message>
        <source>This is your own identity card. Paste the card your colleague sent you.</source>
        <translation>C’est votre propre carte d’identité. Collez la carte que votre collègue vous a envoyée.</translation>
    </message>
    <message>
        <source>You have no identity on this computer yet: the safety number is made from both cards. Create yours first with “My identity” in the Coffre menu.</source>
        <translation>Vous n’avez pas encore d’identité sur cet ordinateur : le numéro de sécurité est calculé à partir des deux cartes. Créez d’abord la vôtre avec « Mon identité » dans le menu Coffre.</translation>
    </message>
    <message>
        <source>The identity kept on this computer cannot be read: open “My identity” in the Coffre menu to see which file is damaged.</source>
        <translation>L’identité gardée sur cet ordinateur ne peut pas être lue : ouvrez « Mon identité » dans le menu Coffre pour voir quel fichier est abîmé.</translation>
    </message>
    <message>
        <source>Safety number</source>
        <translation>Numéro de sécurité</translation>
    </message>
    <message>
        <source>The card of &lt;b&gt;{name}&lt;/b&gt; is intact. Fingerprint: {fingerprint}</source>
        <translation>La carte de &lt;b&gt;{name}&lt;/b&gt; est intacte. Empreinte : {fingerprint}</translation>
    </message>
    <message>
        <source>Safety number: {groups}</source>
        <translation>Numéro de sécurité : {groups}</translation>
    </message>
    <message>
        <source>Call {name} or meet them; not by mail or chat, which could be the way the card was swapped. Each of you opens “Verify a colleague” with the other&apos;s card and reads the safety number aloud, one group at a time. If all 30 digits are the same, the card really is theirs. If a single digit differs, do not use this card: ask {name} for it again, in person.</source>
        <translation>Appelez {name} ou rencontrez-vous ; pas par courriel ni par messagerie, par où la carte a pu être substituée. Chacun de vous ouvre « Vérifier un collègue » avec la carte de l’autre et lit le numéro de sécurité à voix haute, un groupe à la fois. Si les 30 chiffres sont identiques, la carte est bien la sienne. Si un seul chiffre diffère, n’utilisez pas cette carte : redemandez-la à {name}, en personne.</translation>
    </message>
</context>
</TS>

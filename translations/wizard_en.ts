<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ConnectionPage</name>
    <message>
        <source>Connection test</source>
        <translation>Connection test</translation>
    </message>
    <message>
        <source>Coffre checks that it can reach the storage.</source>
        <translation>Coffre checks that it can reach the storage.</translation>
    </message>
    <message>
        <source>Testing the connection</source>
        <translation>Testing the connection</translation>
    </message>
    <message>
        <source>Test again</source>
        <translation>Test again</translation>
    </message>
    <message>
        <source>Storage: %1</source>
        <translation>Storage: %1</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Testing the connection…</translation>
    </message>
    <message>
        <source>Give your storage credentials:</source>
        <translation>Give your storage credentials:</translation>
    </message>
    <message>
        <source>Access key or user name:</source>
        <translation>Access key or user name:</translation>
    </message>
    <message>
        <source>Secret key or password:</source>
        <translation>Secret key or password:</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Coffre is ready</source>
        <translation>Coffre is ready</translation>
    </message>
    <message>
        <source>Your folder %1 is now synchronised. Everything you put in it is encrypted on this computer, then sent to the vault. Coffre keeps running in the background; its icon shows whether everything is up to date.</source>
        <translation>Your folder %1 is now synchronised. Everything you put in it is encrypted on this computer, then sent to the vault. Coffre keeps running in the background; its icon shows whether everything is up to date.</translation>
    </message>
</context>
<context>
    <name>FolderPage</name>
    <message>
        <source>Folder to synchronise</source>
        <translation>Folder to synchronise</translation>
    </message>
    <message>
        <source>The folder on this computer that Coffre keeps in sync with the vault.</source>
        <translation>The folder on this computer that Coffre keeps in sync with the vault.</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Folder:</translation>
    </message>
    <message>
        <source>Name of this computer:</source>
        <translation>Name of this computer:</translation>
    </message>
    <message>
        <source>This folder already contains files. They will be encrypted and copied into the new vault. Nothing will be deleted.</source>
        <translation>This folder already contains files. They will be encrypted and copied into the new vault. Nothing will be deleted.</translation>
    </message>
    <message>
        <source>This folder already contains files. They will be encrypted and added to the vault, and the vault&apos;s files will be added to this folder. Nothing will be deleted: when a file exists on both sides with different contents, both versions are kept and the copy is renamed.</source>
        <translation>This folder already contains files. They will be encrypted and added to the vault, and the vault&apos;s files will be added to this folder. Nothing will be deleted: when a file exists on both sides with different contents, both versions are kept and the copy is renamed.</translation>
    </message>
    <message>
        <source>The folder will be created.</source>
        <translation>The folder will be created.</translation>
    </message>
</context>
<context>
    <name>PassphrasePage</name>
    <message>
        <source>Show the passphrase</source>
        <translation>Show the passphrase</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>Passphrase:</translation>
    </message>
    <message>
        <source>Type it again:</source>
        <translation>Type it again:</translation>
    </message>
    <message>
        <source>Choose a passphrase</source>
        <translation>Choose a passphrase</translation>
    </message>
    <message>
        <source>It protects the vault: you will type it on each computer you add.</source>
        <translation>It protects the vault: you will type it on each computer you add.</translation>
    </message>
    <message>
        <source>Choose a passphrase nobody can guess, such as a short sentence. Nobody can reset it for you, not even your administrator: you will also receive a recovery key, to keep on paper.</source>
        <translation>Choose a passphrase nobody can guess, such as a short sentence. Nobody can reset it for you, not even your administrator: you will also receive a recovery key, to keep on paper.</translation>
    </message>
    <message>
        <source>Type the vault&apos;s passphrase</source>
        <translation>Type the vault&apos;s passphrase</translation>
    </message>
    <message>
        <source>The passphrase chosen when the vault was created.</source>
        <translation>The passphrase chosen when the vault was created.</translation>
    </message>
    <message>
        <source>Coffre needs it to open the vault on this computer.</source>
        <translation>Coffre needs it to open the vault on this computer.</translation>
    </message>
    <message>
        <source>Forgot your passphrase?</source>
        <translation>Forgot your passphrase?</translation>
    </message>
    <message>
        <source>Forgot your passphrase? Use the recovery key</source>
        <translation>Forgot your passphrase? Use the recovery key</translation>
    </message>
    <message>
        <source>Checking the passphrase</source>
        <translation>Checking the passphrase</translation>
    </message>
    <message>
        <source>Use the passphrase instead</source>
        <translation>Use the passphrase instead</translation>
    </message>
</context>
<context>
    <name>PathPicker</name>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Browse for %1</source>
        <translation>Browse for %1</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Choose a folder</translation>
    </message>
</context>
<context>
    <name>RecoveryPage</name>
    <message>
        <source>Your recovery key</source>
        <translation>Your recovery key</translation>
    </message>
    <message>
        <source>It is shown only this once.</source>
        <translation>It is shown only this once.</translation>
    </message>
    <message>
        <source>Write this key down on paper and keep it in a safe place. If you forget your passphrase, it is the only way to open the vault. Anyone who has it can read your files: do not send it by e-mail.</source>
        <translation>Write this key down on paper and keep it in a safe place. If you forget your passphrase, it is the only way to open the vault. Anyone who has it can read your files: do not send it by e-mail.</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <source>To confirm, type the last 4 characters of the key:</source>
        <translation>To confirm, type the last 4 characters of the key:</translation>
    </message>
    <message>
        <source>These are not the last 4 characters of the key.</source>
        <translation>These are not the last 4 characters of the key.</translation>
    </message>
    <message>
        <source>&amp;Print the recovery sheet…</source>
        <translation>&amp;Print the recovery sheet…</translation>
    </message>
    <message>
        <source>&amp;Save it as PDF…</source>
        <translation>&amp;Save it as PDF…</translation>
    </message>
    <message>
        <source>The recovery sheet was sent to the printer.</source>
        <translation>The recovery sheet was sent to the printer.</translation>
    </message>
    <message>
        <source>Save the recovery sheet</source>
        <translation>Save the recovery sheet</translation>
    </message>
    <message>
        <source>coffre-recovery-key.pdf</source>
        <translation>coffre-recovery-key.pdf</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF documents (*.pdf)</translation>
    </message>
    <message>
        <source>The PDF could not be written: %1</source>
        <translation>The PDF could not be written: %1</translation>
    </message>
    <message>
        <source>Saved as %1. Print it, then delete the file: a copy on the computer is as readable as the key itself.</source>
        <translation>Saved as %1. Print it, then delete the file: a copy on the computer is as readable as the key itself.</translation>
    </message>
</context>
<context>
    <name>RecoverySheet</name>
    <message>
        <source>Storage</source>
        <translation>Storage</translation>
    </message>
    <message>
        <source>Vault identifier</source>
        <translation>Vault identifier</translation>
    </message>
    <message>
        <source>Folder it was created for</source>
        <translation>Folder it was created for</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Keep this sheet in a safe place away from the computer (a locked drawer, a safe). Anyone who has the key can read every file in the vault.</source>
        <translation>Keep this sheet in a safe place away from the computer (a locked drawer, a safe). Anyone who has the key can read every file in the vault.</translation>
    </message>
    <message>
        <source>Never send it by e-mail, never photograph it, never store it in the vault.</source>
        <translation>Never send it by e-mail, never photograph it, never store it in the vault.</translation>
    </message>
    <message>
        <source>If the passphrase is forgotten: in Coffre, choose “Forgot your passphrase?” and type this key, then choose a new passphrase. On the command line: coffre sync --folder FOLDER --recovery-key-file FILE.</source>
        <translation>If the passphrase is forgotten: in Coffre, choose “Forgot your passphrase?” and type this key, then choose a new passphrase. On the command line: coffre sync --folder FOLDER --recovery-key-file FILE.</translation>
    </message>
    <message>
        <source>The key stays valid after a passphrase change, until a new key is made.</source>
        <translation>The key stays valid after a passphrase change, until a new key is made.</translation>
    </message>
    <message>
        <source>Coffre recovery key</source>
        <translation>Coffre recovery key</translation>
    </message>
    <message>
        <source>This key opens the vault below if its passphrase is forgotten.</source>
        <translation>This key opens the vault below if its passphrase is forgotten.</translation>
    </message>
    <message>
        <source>What to do with this sheet</source>
        <translation>What to do with this sheet</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Recovery key</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>My &amp;identity…</source>
        <translation>My &amp;identity…</translation>
    </message>
    <message>
        <source>My identity</source>
        <translation>My identity</translation>
    </message>
    <message>
        <source>Your name, fingerprint and identity card: what colleagues need to share folders with you.</source>
        <translation>Your name, fingerprint and identity card: what colleagues need to share folders with you.</translation>
    </message>
    <message>
        <source>Coffre settings</source>
        <translation>Coffre settings</translation>
    </message>
    <message>
        <source>Settings sections</source>
        <translation>Settings sections</translation>
    </message>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Network</translation>
    </message>
    <message>
        <source>Synchronisation</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <source>Ignored files</source>
        <translation>Ignored files</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>Identity</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>System default</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <source>A new language applies the next time Coffre starts.</source>
        <translation>A new language applies the next time Coffre starts.</translation>
    </message>
    <message>
        <source>Start Coffre when I log in</source>
        <translation>Start Coffre when I log in</translation>
    </message>
    <message>
        <source>Pause synchronisation on metered connections (mobile data)</source>
        <translation>Pause synchronisation on metered connections (mobile data)</translation>
    </message>
    <message>
        <source>Pause synchronisation while the computer saves battery</source>
        <translation>Pause synchronisation while the computer saves battery</translation>
    </message>
    <message>
        <source>Upload limit:</source>
        <translation>Upload limit:</translation>
    </message>
    <message>
        <source>Download limit:</source>
        <translation>Download limit:</translation>
    </message>
    <message>
        <source>Use the system&apos;s proxy settings</source>
        <translation>Use the system&apos;s proxy settings</translation>
    </message>
    <message>
        <source>Use this proxy:</source>
        <translation>Use this proxy:</translation>
    </message>
    <message>
        <source>Proxy address</source>
        <translation>Proxy address</translation>
    </message>
    <message>
        <source> KiB/s</source>
        <translation> KiB/s</translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation>Unlimited</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Check for changes every (while active):</source>
        <translation>Check for changes every (while active):</translation>
    </message>
    <message>
        <source>Check for changes every (when idle):</source>
        <translation>Check for changes every (when idle):</translation>
    </message>
    <message>
        <source>Changes on this computer are seen at once; these intervals are for changes made on your other computers.</source>
        <translation>Changes on this computer are seen at once; these intervals are for changes made on your other computers.</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Folder:</translation>
    </message>
    <message>
        <source>Ignore patterns</source>
        <translation>Ignore patterns</translation>
    </message>
    <message>
        <source>set by your administrator</source>
        <translation>set by your administrator</translation>
    </message>
    <message>
        <source>Set by your administrator.</source>
        <translation>Set by your administrator.</translation>
    </message>
    <message>
        <source>Set by your administrator</source>
        <translation>Set by your administrator</translation>
    </message>
    <message>
        <source>Your organisation&apos;s settings cannot be read: synchronisation is stopped until your IT department fixes them.</source>
        <translation>Your organisation&apos;s settings cannot be read: synchronisation is stopped until your IT department fixes them.</translation>
    </message>
    <message>
        <source>Give the proxy&apos;s address, for example http://proxy.example.org:3128.</source>
        <translation>Give the proxy&apos;s address, for example http://proxy.example.org:3128.</translation>
    </message>
    <message>
        <source>The ignore list is too long.</source>
        <translation>The ignore list is too long.</translation>
    </message>
    <message>
        <source>A value is out of range.</source>
        <translation>A value is out of range.</translation>
    </message>
    <message>
        <source>The ignore list could not be saved: %1</source>
        <translation>The ignore list could not be saved: %1</translation>
    </message>
    <message>
        <source>For example:
*.iso
drafts/
/personal-notes.txt</source>
        <translation>For example:
*.iso
drafts/
/personal-notes.txt</translation>
    </message>
    <message>
        <source>One rule per line. *.iso leaves out every file ending in .iso; drafts/ leaves out every folder named drafts; /personal-notes.txt leaves out only that file at the top of the folder. The list is shared with your other computers. Office lock files and system files are always left out.</source>
        <translation>One rule per line. *.iso leaves out every file ending in .iso; drafts/ leaves out every folder named drafts; /personal-notes.txt leaves out only that file at the top of the folder. The list is shared with your other computers. Office lock files and system files are always left out.</translation>
    </message>
</context>
<context>
    <name>SetupMessages</name>
    <message>
        <source>The storage server cannot be reached. Check the address and your network connection, then try again.</source>
        <translation>The storage server cannot be reached. Check the address and your network connection, then try again.</translation>
    </message>
    <message>
        <source>The storage refused the credentials. Check the access key and secret key (or the user name and password).</source>
        <translation>The storage refused the credentials. Check the access key and secret key (or the user name and password).</translation>
    </message>
    <message>
        <source>This bucket does not exist on the server. Check its name, or ask your administrator to create it.</source>
        <translation>This bucket does not exist on the server. Check its name, or ask your administrator to create it.</translation>
    </message>
    <message>
        <source>This folder cannot be found. Check the path; for a network share, make sure it is mounted.</source>
        <translation>This folder cannot be found. Check the path; for a network share, make sure it is mounted.</translation>
    </message>
    <message>
        <source>This location already contains files. A new vault needs an empty location: choose another folder or prefix, or join the existing vault instead.</source>
        <translation>This location already contains files. A new vault needs an empty location: choose another folder or prefix, or join the existing vault instead.</translation>
    </message>
    <message>
        <source>There is no Coffre vault at this location. Check the address, or create a new vault instead.</source>
        <translation>There is no Coffre vault at this location. Check the address, or create a new vault instead.</translation>
    </message>
    <message>
        <source>The storage address is not valid. Check each field.</source>
        <translation>The storage address is not valid. Check each field.</translation>
    </message>
    <message>
        <source>The connection test failed.</source>
        <translation>The connection test failed.</translation>
    </message>
    <message>
        <source>The connection works and the location is ready for a new vault.</source>
        <translation>The connection works and the location is ready for a new vault.</translation>
    </message>
    <message>
        <source>The connection works and a Coffre vault was found.</source>
        <translation>The connection works and a Coffre vault was found.</translation>
    </message>
    <message>
        <source>Fill in this field.</source>
        <translation>Fill in this field.</translation>
    </message>
    <message>
        <source>Give the full path of the folder, for example /srv/coffre.</source>
        <translation>Give the full path of the folder, for example /srv/coffre.</translation>
    </message>
    <message>
        <source>This value is not valid.</source>
        <translation>This value is not valid.</translation>
    </message>
    <message>
        <source>Type the passphrase.</source>
        <translation>Type the passphrase.</translation>
    </message>
    <message>
        <source>This passphrase is too easy to guess: make it longer.</source>
        <translation>This passphrase is too easy to guess: make it longer.</translation>
    </message>
    <message>
        <source>The two passphrases are different.</source>
        <translation>The two passphrases are different.</translation>
    </message>
    <message>
        <source>Choose the folder to synchronise.</source>
        <translation>Choose the folder to synchronise.</translation>
    </message>
    <message>
        <source>Give the full path of the folder.</source>
        <translation>Give the full path of the folder.</translation>
    </message>
    <message>
        <source>This path is a file, not a folder.</source>
        <translation>This path is a file, not a folder.</translation>
    </message>
    <message>
        <source>This folder is already synchronised by Coffre.</source>
        <translation>This folder is already synchronised by Coffre.</translation>
    </message>
    <message>
        <source>The synchronised folder and the storage folder must be separate: choose a folder outside the storage.</source>
        <translation>The synchronised folder and the storage folder must be separate: choose a folder outside the storage.</translation>
    </message>
    <message>
        <source>This passphrase does not open the vault. Check it (upper and lower case matter) and try again.</source>
        <translation>This passphrase does not open the vault. Check it (upper and lower case matter) and try again.</translation>
    </message>
    <message>
        <source>This folder is already synchronised by Coffre. Choose another folder.</source>
        <translation>This folder is already synchronised by Coffre. Choose another folder.</translation>
    </message>
    <message>
        <source>The keys could not be kept in the system keyring. Unlock the keyring (or start it), then try again.</source>
        <translation>The keys could not be kept in the system keyring. Unlock the keyring (or start it), then try again.</translation>
    </message>
    <message>
        <source>A file or folder could not be written. Check that you may write to the chosen folders and that the disk is not full.</source>
        <translation>A file or folder could not be written. Check that you may write to the chosen folders and that the disk is not full.</translation>
    </message>
    <message>
        <source>Something went wrong and nothing was set up.</source>
        <translation>Something went wrong and nothing was set up.</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Details: %1</translation>
    </message>
    <message>
        <source>This recovery key does not open the vault. Check that it is the key of this vault, printed when the vault was created.</source>
        <translation>This recovery key does not open the vault. Check that it is the key of this vault, printed when the vault was created.</translation>
    </message>
    <message>
        <source>The storage served an old version of the vault&apos;s header, from before its passphrase was changed. It was refused: tell your IT department.</source>
        <translation>The storage served an old version of the vault&apos;s header, from before its passphrase was changed. It was refused: tell your IT department.</translation>
    </message>
    <message>
        <source>This recovery key contains a typo or is incomplete. Compare it with the printed key.</source>
        <translation>This recovery key contains a typo or is incomplete. Compare it with the printed key.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up Coffre</source>
        <translation>Set up Coffre</translation>
    </message>
    <message>
        <source>Close without confirming?</source>
        <translation>Close without confirming?</translation>
    </message>
    <message>
        <source>The vault is created, but the recovery key will not be shown again. Close anyway?</source>
        <translation>The vault is created, but the recovery key will not be shown again. Close anyway?</translation>
    </message>
</context>
<context>
    <name>StorePage</name>
    <message>
        <source>Where is the vault stored?</source>
        <translation>Where is the vault stored?</translation>
    </message>
    <message>
        <source>Choose the storage your organisation gave you. Coffre only stores encrypted data there.</source>
        <translation>Choose the storage your organisation gave you. Coffre only stores encrypted data there.</translation>
    </message>
    <message>
        <source>A folder or a network share</source>
        <translation>A folder or a network share</translation>
    </message>
    <message>
        <source>S3-compatible object storage</source>
        <translation>S3-compatible object storage</translation>
    </message>
    <message>
        <source>A WebDAV server</source>
        <translation>A WebDAV server</translation>
    </message>
    <message>
        <source>Storage folder</source>
        <translation>Storage folder</translation>
    </message>
    <message>
        <source>Storage folder:</source>
        <translation>Storage folder:</translation>
    </message>
    <message>
        <source>For a network share (SMB or NFS), mount it first, then choose the mounted folder.</source>
        <translation>For a network share (SMB or NFS), mount it first, then choose the mounted folder.</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>Endpoint:</source>
        <translation>Endpoint:</translation>
    </message>
    <message>
        <source>Bucket:</source>
        <translation>Bucket:</translation>
    </message>
    <message>
        <source>Prefix:</source>
        <translation>Prefix:</translation>
    </message>
    <message>
        <source>Region:</source>
        <translation>Region:</translation>
    </message>
    <message>
        <source>Access key:</source>
        <translation>Access key:</translation>
    </message>
    <message>
        <source>Secret key:</source>
        <translation>Secret key:</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Address:</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>User name:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Keys and passwords are kept in your system&apos;s keyring, never in a file.</source>
        <translation>Keys and passwords are kept in your system&apos;s keyring, never in a file.</translation>
    </message>
</context>
<context>
    <name>StrengthMeter</name>
    <message>
        <source>Passphrase strength</source>
        <translation>Passphrase strength</translation>
    </message>
    <message>
        <source>Very weak</source>
        <translation>Very weak</translation>
    </message>
    <message>
        <source>Weak</source>
        <translation>Weak</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>Fair</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>Strong</translation>
    </message>
    <message>
        <source>Very strong</source>
        <translation>Very strong</translation>
    </message>
    <message>
        <source>Choose a passphrase.</source>
        <translation>Choose a passphrase.</translation>
    </message>
    <message>
        <source>Use at least 12 characters; a short sentence is ideal.</source>
        <translation>Use at least 12 characters; a short sentence is ideal.</translation>
    </message>
    <message>
        <source>This is one of the first passwords an attacker tries.</source>
        <translation>This is one of the first passwords an attacker tries.</translation>
    </message>
    <message>
        <source>Avoid repeated characters or words.</source>
        <translation>Avoid repeated characters or words.</translation>
    </message>
    <message>
        <source>Avoid sequences such as abcd, 1234 or azerty.</source>
        <translation>Avoid sequences such as abcd, 1234 or azerty.</translation>
    </message>
    <message>
        <source>Add words, digits or punctuation.</source>
        <translation>Add words, digits or punctuation.</translation>
    </message>
    <message>
        <source>Strength: %1</source>
        <translation>Strength: %1</translation>
    </message>
    <message>
        <source>Add another word or two: length is what makes it strong.</source>
        <translation>Add another word or two: length is what makes it strong.</translation>
    </message>
    <message>
        <source>“%1” is one of the first passwords an attacker tries.</source>
        <translation>“%1” is one of the first passwords an attacker tries.</translation>
    </message>
    <message>
        <source>“%1” is a sequence an attacker tries first: avoid it.</source>
        <translation>“%1” is a sequence an attacker tries first: avoid it.</translation>
    </message>
    <message>
        <source>“%1” repeats one character: avoid repetitions.</source>
        <translation>“%1” repeats one character: avoid repetitions.</translation>
    </message>
    <message>
        <source>Add at least %1 more characters; a short sentence of several words is ideal.</source>
        <translation>Add at least %1 more characters; a short sentence of several words is ideal.</translation>
    </message>
    <message>
        <source>Only letters: add another word, a digit or a punctuation mark.</source>
        <translation>Only letters: add another word, a digit or a punctuation mark.</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Summary</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>Setting up</source>
        <translation>Setting up</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>folder</translation>
    </message>
    <message>
        <source>S3-compatible object storage</source>
        <translation>S3-compatible object storage</translation>
    </message>
    <message>
        <source>WebDAV server</source>
        <translation>WebDAV server</translation>
    </message>
    <message>
        <source>Join the existing vault.</source>
        <translation>Join the existing vault.</translation>
    </message>
    <message>
        <source>Join the vault</source>
        <translation>Join the vault</translation>
    </message>
    <message>
        <source>Create a new vault.</source>
        <translation>Create a new vault.</translation>
    </message>
    <message>
        <source>Create the vault</source>
        <translation>Create the vault</translation>
    </message>
    <message>
        <source>Storage (%1): %2</source>
        <translation>Storage (%1): %2</translation>
    </message>
    <message>
        <source>Synchronised folder: %1</source>
        <translation>Synchronised folder: %1</translation>
    </message>
    <message>
        <source>Name of this computer: %1</source>
        <translation>Name of this computer: %1</translation>
    </message>
    <message>
        <source>Next, Coffre shows the recovery key once: have a pen and paper ready.</source>
        <translation>Next, Coffre shows the recovery key once: have a pen and paper ready.</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Coffre</source>
        <translation>Welcome to Coffre</translation>
    </message>
    <message>
        <source>Coffre keeps a folder in sync between your computers. Your files are encrypted on this computer before they are sent: the storage only sees unreadable data.</source>
        <translation>Coffre keeps a folder in sync between your computers. Your files are encrypted on this computer before they are sent: the storage only sees unreadable data.</translation>
    </message>
    <message>
        <source>Use the default (recommended)</source>
        <translation>Use the default (recommended)</translation>
    </message>
    <message>
        <source>Start right away: a new vault on this computer and a synchronised folder in your personal folder. You can add a shared storage later.</source>
        <translation>Start right away: a new vault on this computer and a synchronised folder in your personal folder. You can add a shared storage later.</translation>
    </message>
    <message>
        <source>Use the default</source>
        <translation>Use the default</translation>
    </message>
    <message>
        <source>Create a vault on a storage of my choice</source>
        <translation>Create a vault on a storage of my choice</translation>
    </message>
    <message>
        <source>A network share, S3-compatible object storage or a WebDAV server.</source>
        <translation>A network share, S3-compatible object storage or a WebDAV server.</translation>
    </message>
    <message>
        <source>Join an existing vault</source>
        <translation>Join an existing vault</translation>
    </message>
    <message>
        <source>The vault already exists (for example on your other computer).</source>
        <translation>The vault already exists (for example on your other computer).</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ActivityView</name>
    <message>
        <source>Recent changes</source>
        <translation>Recent changes</translation>
    </message>
    <message>
        <source>When</source>
        <translation>When</translation>
    </message>
    <message>
        <source>What</source>
        <translation>What</translation>
    </message>
    <message>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <source>By</source>
        <translation>By</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <source>Open the file</source>
        <translation>Open the file</translation>
    </message>
    <message>
        <source>Show in &amp;folder</source>
        <translation>Show in &amp;folder</translation>
    </message>
    <message>
        <source>Show the file in its folder</source>
        <translation>Show the file in its folder</translation>
    </message>
    <message>
        <source>Renamed from {old}</source>
        <translation>Renamed from {old}</translation>
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
        <translation>Notification text</translation>
    </message>
    <message>
        <source>&amp;Dismiss</source>
        <translation>&amp;Dismiss</translation>
    </message>
    <message>
        <source>Dismiss the notification</source>
        <translation>Dismiss the notification</translation>
    </message>
</context>
<context>
    <name>ChangePassphraseDialog</name>
    <message>
        <source>Change the passphrase</source>
        <translation>Change the passphrase</translation>
    </message>
    <message>
        <source>The new passphrase replaces the current one for the vault that {folder} is synced with, on every computer: type the new one on the others when they ask. The recovery key stays the same.</source>
        <translation>The new passphrase replaces the current one for the vault that {folder} is synced with, on every computer: type the new one on the others when they ask. The recovery key stays the same.</translation>
    </message>
    <message>
        <source>&amp;Current passphrase:</source>
        <translation>&amp;Current passphrase:</translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation>Current passphrase</translation>
    </message>
    <message>
        <source>Changing the passphrase</source>
        <translation>Changing the passphrase</translation>
    </message>
    <message>
        <source>C&amp;hange the passphrase</source>
        <translation>C&amp;hange the passphrase</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>The passphrase was changed. The old one no longer opens the vault; type the new one on your other computers when they ask for it.</source>
        <translation>The passphrase was changed. The old one no longer opens the vault; type the new one on your other computers when they ask for it.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>This recovery key does not open the vault.</source>
        <translation>This recovery key does not open the vault.</translation>
    </message>
    <message>
        <source>The current passphrase is wrong. Nothing was changed.</source>
        <translation>The current passphrase is wrong. Nothing was changed.</translation>
    </message>
    <message>
        <source>The storage served an old version of the vault&apos;s header. Nothing was changed: tell your IT department.</source>
        <translation>The storage served an old version of the vault&apos;s header. Nothing was changed: tell your IT department.</translation>
    </message>
    <message>
        <source>The passphrase could not be changed; nothing was changed.</source>
        <translation>The passphrase could not be changed; nothing was changed.</translation>
    </message>
    <message>
        <source>Details: {why}</source>
        <translation>Details: {why}</translation>
    </message>
</context>
<context>
    <name>ConflictsView</name>
    <message>
        <source>Two devices changed the same file. Both versions are kept until you choose.</source>
        <translation>Two devices changed the same file. Both versions are kept until you choose.</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Your version</source>
        <translation>Your version</translation>
    </message>
    <message>
        <source>The other version</source>
        <translation>The other version</translation>
    </message>
    <message>
        <source>Keep &amp;mine</source>
        <translation>Keep &amp;mine</translation>
    </message>
    <message>
        <source>Keep my version</source>
        <translation>Keep my version</translation>
    </message>
    <message>
        <source>Keep &amp;theirs</source>
        <translation>Keep &amp;theirs</translation>
    </message>
    <message>
        <source>Keep the other version</source>
        <translation>Keep the other version</translation>
    </message>
    <message>
        <source>Keep &amp;both</source>
        <translation>Keep &amp;both</translation>
    </message>
    <message>
        <source>Keep both versions as separate files</source>
        <translation>Keep both versions as separate files</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Refresh the conflicts</source>
        <translation>Refresh the conflicts</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>No conflicts.</source>
        <translation>No conflicts.</translation>
    </message>
    <message>
        <source>Settled: {path}</source>
        <translation>Settled: {path}</translation>
    </message>
    <message>
        <source>{path} is not in the folder yet: wait for the next sync.</source>
        <translation>{path} is not in the folder yet: wait for the next sync.</translation>
    </message>
</context>
<context>
    <name>FolderStatusWidget</name>
    <message>
        <source>Folder {name}</source>
        <translation>Folder {name}</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <source>Current activity</source>
        <translation>Current activity</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Speed</translation>
    </message>
    <message>
        <source>Read only</source>
        <translation>Read only</translation>
    </message>
    <message>
        <source>You receive this folder&apos;s files but cannot change them: what you change stays on this computer and is not synced.</source>
        <translation>You receive this folder&apos;s files but cannot change them: what you change stays on this computer and is not synced.</translation>
    </message>
    <message>
        <source>Folder menu</source>
        <translation>Folder menu</translation>
    </message>
    <message>
        <source>&amp;Share…</source>
        <translation>&amp;Share…</translation>
    </message>
    <message>
        <source>Not synced: read only</source>
        <translation>Not synced: read only</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Pause or resume syncing</source>
        <translation>Pause or resume syncing</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>&amp;Sync now</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>&amp;Unlock…</source>
        <translation>&amp;Unlock…</translation>
    </message>
    <message>
        <source>Unlock the folder with the passphrase</source>
        <translation>Unlock the folder with the passphrase</translation>
    </message>
    <message>
        <source>Locked: {reason}</source>
        <translation>Locked: {reason}</translation>
    </message>
    <message>
        <source>Waiting for your passphrase</source>
        <translation>Waiting for your passphrase</translation>
    </message>
    <message>
        <source>Opening the vault…</source>
        <translation>Opening the vault…</translation>
    </message>
    <message>
        <source>Last sync: {when}</source>
        <translation>Last sync: {when}</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Resume</translation>
    </message>
    <message numerus="yes">
        <source>Not synced, read only: you changed %n file(s) that you may not change in this folder. They stay on this computer only.</source>
        <translation>
            <numerusform>Not synced, read only: you changed %n file that you may not change in this folder. It stays on this computer only.</numerusform>
            <numerusform>Not synced, read only: you changed %n files that you may not change in this folder. They stay on this computer only.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sending {done} of %n file(s)</source>
        <translation>
            <numerusform>Sending {done} of %n file</numerusform>
            <numerusform>Sending {done} of %n files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Receiving {done} of %n file(s)</source>
        <translation>
            <numerusform>Receiving {done} of %n file</numerusform>
            <numerusform>Receiving {done} of %n files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) examined</source>
        <translation>
            <numerusform>%n item examined</numerusform>
            <numerusform>%n items examined</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) could not be synced</source>
        <translation>
            <numerusform>%n item could not be synced</numerusform>
            <numerusform>%n items could not be synced</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder path</source>
        <translation>Folder path</translation>
    </message>
    <message>
        <source>&amp;Open the folder</source>
        <translation>&amp;Open the folder</translation>
    </message>
    <message>
        <source>Open the folder in the file manager</source>
        <translation>Open the folder in the file manager</translation>
    </message>
    <message>
        <source>Waiting for you: a deletion must be confirmed</source>
        <translation>Waiting for you: a deletion must be confirmed</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for you: %n conflict(s) to settle</source>
        <translation>
            <numerusform>Waiting for you: %n conflict to settle</numerusform>
            <numerusform>Waiting for you: %n conflicts to settle</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Needs attention: %n item(s) could not be synced</source>
        <translation>
            <numerusform>Needs attention: %n item could not be synced</numerusform>
            <numerusform>Needs attention: %n items could not be synced</numerusform>
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
        <translation>never</translation>
    </message>
    <message>
        <source>Paused (metered network)</source>
        <translation>Paused (metered network)</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Up to date</translation>
    </message>
    <message>
        <source>Looking for changes</source>
        <translation>Looking for changes</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Syncing</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Modified</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>Renamed</source>
        <translation>Renamed</translation>
    </message>
    <message>
        <source>Conflict copy</source>
        <translation>Conflict copy</translation>
    </message>
    <message>
        <source>Added (received)</source>
        <translation>Added (received)</translation>
    </message>
    <message>
        <source>Modified (received)</source>
        <translation>Modified (received)</translation>
    </message>
    <message>
        <source>Deleted (moved to quarantine)</source>
        <translation>Deleted (moved to quarantine)</translation>
    </message>
    <message>
        <source>Renamed (received)</source>
        <translation>Renamed (received)</translation>
    </message>
    <message>
        <source>Paused (battery saver)</source>
        <translation>Paused (battery saver)</translation>
    </message>
</context>
<context>
    <name>HeldDeletionPanel</name>
    <message>
        <source>Held deletion</source>
        <translation>Held deletion</translation>
    </message>
    <message>
        <source>Held deletion details</source>
        <translation>Held deletion details</translation>
    </message>
    <message>
        <source>&amp;Keep the files</source>
        <translation>&amp;Keep the files</translation>
    </message>
    <message>
        <source>Keep the files and cancel the deletion</source>
        <translation>Keep the files and cancel the deletion</translation>
    </message>
    <message>
        <source>&amp;Delete them</source>
        <translation>&amp;Delete them</translation>
    </message>
    <message>
        <source>Confirm the deletion</source>
        <translation>Confirm the deletion</translation>
    </message>
    <message numerus="yes">
        <source>Syncing would delete %n file(s) in {folder}. Nothing was deleted: confirm if this is what you want, or keep the files.</source>
        <translation>
            <numerusform>Syncing would delete %n file in {folder}. Nothing was deleted: confirm if this is what you want, or keep the file.</numerusform>
            <numerusform>Syncing would delete %n files in {folder}. Nothing was deleted: confirm if this is what you want, or keep the files.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>Retention</source>
        <translation>Retention</translation>
    </message>
    <message>
        <source>Versions the retention keeps</source>
        <translation>Versions the retention keeps</translation>
    </message>
    <message>
        <source>The vault&apos;s retention keeps every version.</source>
        <translation>The vault&apos;s retention keeps every version.</translation>
    </message>
    <message>
        <source>Past the vault&apos;s retention: {expiring} of {total} versions. The next clean-up of the storage frees them; restore one now if you still need it.</source>
        <translation>Past the vault&apos;s retention: {expiring} of {total} versions. The next clean-up of the storage frees them; restore one now if you still need it.</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>kept</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expired</translation>
    </message>
    <message>
        <source>The vault&apos;s retention no longer keeps this version: the next clean-up of the storage frees it. Restore it now if you still need it.</source>
        <translation>The vault&apos;s retention no longer keeps this version: the next clean-up of the storage frees it. Restore it now if you still need it.</translation>
    </message>
    <message>
        <source>Find a file</source>
        <translation>Find a file</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Files</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versions</translation>
    </message>
    <message>
        <source>When</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>&amp;Restore this version</source>
        <translation>&amp;Restore this version</translation>
    </message>
    <message>
        <source>Restore the selected version</source>
        <translation>Restore the selected version</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Re&amp;fresh</translation>
    </message>
    <message>
        <source>Refresh the file list</source>
        <translation>Refresh the file list</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>deleted</translation>
    </message>
    <message>
        <source>Restored {path}.</source>
        <translation>Restored {path}.</translation>
    </message>
    <message>
        <source>{when} (current version)</source>
        <translation>{when} (current version)</translation>
    </message>
    <message>
        <source>This is the version in your folder now.</source>
        <translation>This is the version in your folder now.</translation>
    </message>
    <message>
        <source>Erase for &amp;good…</source>
        <translation>Erase for &amp;good…</translation>
    </message>
    <message>
        <source>Erase this file and all its versions from the storage and every device</source>
        <translation>Erase this file and all its versions from the storage and every device</translation>
    </message>
    <message>
        <source>{path} was erased ({count} versions).</source>
        <translation>{path} was erased ({count} versions).</translation>
    </message>
</context>
<context>
    <name>IdentityMenu</name>
    <message>
        <source>My &amp;identity</source>
        <translation>My &amp;identity</translation>
    </message>
    <message>
        <source>&amp;Verify a colleague…</source>
        <translation>&amp;Verify a colleague…</translation>
    </message>
</context>
<context>
    <name>IdentityPanel</name>
    <message>
        <source>Your fingerprint:</source>
        <translation>Your fingerprint:</translation>
    </message>
    <message>
        <source>Your fingerprint identifies your keys. With a colleague, you compare the safety number instead: Coffre makes it from both your cards and shows it in “Verify a colleague” and in “Share…”. Read it aloud by phone or in person, never by mail: if all 30 digits are the same on both sides, each of you really has the other&apos;s card.</source>
        <translation>Your fingerprint identifies your keys. With a colleague, you compare the safety number instead: Coffre makes it from both your cards and shows it in “Verify a colleague” and in “Share…”. Read it aloud by phone or in person, never by mail: if all 30 digits are the same on both sides, each of you really has the other&apos;s card.</translation>
    </message>
    <message>
        <source>This QR code holds your identity number and fingerprint, for a colleague to check your card with their phone. Your full card (about 9 KB of post-quantum keys) does not fit in a QR code: send it as a file or as text.</source>
        <translation>This QR code holds your identity number and fingerprint, for a colleague to check your card with their phone. Your full card (about 9 KB of post-quantum keys) does not fit in a QR code: send it as a file or as text.</translation>
    </message>
    <message>
        <source>Your identity &amp;card:</source>
        <translation>Your identity &amp;card:</translation>
    </message>
    <message>
        <source>Your identity card</source>
        <translation>Your identity card</translation>
    </message>
    <message>
        <source>&amp;Copy the card</source>
        <translation>&amp;Copy the card</translation>
    </message>
    <message>
        <source>My &amp;identity…</source>
        <translation>My &amp;identity…</translation>
    </message>
    <message>
        <source>My identity</source>
        <translation>My identity</translation>
    </message>
    <message>
        <source>You have no identity on this computer yet. To share folders with colleagues, create one with “My identity…”.</source>
        <translation>You have no identity on this computer yet. To share folders with colleagues, create one with “My identity…”.</translation>
    </message>
    <message>
        <source>The identity kept on this computer cannot be read: open “My identity…” to see which file is damaged.</source>
        <translation>The identity kept on this computer cannot be read: open “My identity…” to see which file is damaged.</translation>
    </message>
    <message>
        <source>Your fingerprint: {groups}</source>
        <translation>Your fingerprint: {groups}</translation>
    </message>
    <message>
        <source>QR code of your identity number and fingerprint: {uri}</source>
        <translation>QR code of your identity number and fingerprint: {uri}</translation>
    </message>
    <message>
        <source>Your card is copied: paste it into a mail to your colleagues.</source>
        <translation>Your card is copied: paste it into a mail to your colleagues.</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <source>Add another computer</source>
        <translation>Add another computer</translation>
    </message>
    <message>
        <source>On the other computer, install Coffre and open it. In the setup assistant, choose &lt;b&gt;Join an existing vault&lt;/b&gt;, type the store address below and the vault&apos;s passphrase, then choose the folder to sync. Both computers then keep the same files.</source>
        <translation>On the other computer, install Coffre and open it. In the setup assistant, choose &lt;b&gt;Join an existing vault&lt;/b&gt;, type the store address below and the vault&apos;s passphrase, then choose the folder to sync. Both computers then keep the same files.</translation>
    </message>
    <message>
        <source>Store address:</source>
        <translation>Store address:</translation>
    </message>
    <message>
        <source>Or, in a terminal on the other computer:</source>
        <translation>Or, in a terminal on the other computer:</translation>
    </message>
    <message>
        <source>Command:</source>
        <translation>Command:</translation>
    </message>
    <message>
        <source>This vault is kept in a folder of this computer only: another computer cannot reach it. Move it to a shared storage first (a network folder, an S3 or WebDAV server your organisation provides).</source>
        <translation>This vault is kept in a folder of this computer only: another computer cannot reach it. Move it to a shared storage first (a network folder, an S3 or WebDAV server your organisation provides).</translation>
    </message>
    <message>
        <source>The other computer also needs its own access to this storage (access key or account): ask the person who manages it.</source>
        <translation>The other computer also needs its own access to this storage (access key or account): ask the person who manages it.</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <source>Copy: {what}</source>
        <translation>Copy: {what}</translation>
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
        <translation>&amp;Folder:</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Folder</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Views</translation>
    </message>
    <message>
        <source>No folder is synced yet. Your files in {folder} will be kept in an encrypted vault in {store}.</source>
        <translation>No folder is synced yet. Your files in {folder} will be kept in an encrypted vault in {store}.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Folders</translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation>&amp;Status</translation>
    </message>
    <message>
        <source>&amp;Activity</source>
        <translation>&amp;Activity</translation>
    </message>
    <message>
        <source>&amp;Conflicts</source>
        <translation>&amp;Conflicts</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;History</translation>
    </message>
    <message>
        <source>&amp;Quarantine</source>
        <translation>&amp;Quarantine</translation>
    </message>
    <message>
        <source>The deletion could not be cancelled</source>
        <translation>The deletion could not be cancelled</translation>
    </message>
    <message>
        <source>&amp;Conflicts ({count})</source>
        <translation>&amp;Conflicts ({count})</translation>
    </message>
    <message>
        <source>The key remembered on this computer no longer opens this vault (it may have been replaced). Type the passphrase again.</source>
        <translation>The key remembered on this computer no longer opens this vault (it may have been replaced). Type the passphrase again.</translation>
    </message>
    <message>
        <source>The passphrase was not remembered</source>
        <translation>The passphrase was not remembered</translation>
    </message>
    <message>
        <source>This computer&apos;s keyring could not keep the vault key (it may be locked or missing). Syncing goes on; Coffre will ask for the passphrase at the next start.</source>
        <translation>This computer&apos;s keyring could not keep the vault key (it may be locked or missing). Syncing goes on; Coffre will ask for the passphrase at the next start.</translation>
    </message>
    <message>
        <source>&amp;Coffre</source>
        <translation>&amp;Coffre</translation>
    </message>
    <message>
        <source>&amp;Add a folder…</source>
        <translation>&amp;Add a folder…</translation>
    </message>
    <message>
        <source>Add another &amp;computer…</source>
        <translation>Add another &amp;computer…</translation>
    </message>
    <message>
        <source>Open the &amp;folder</source>
        <translation>Open the &amp;folder</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
</context>
<context>
    <name>MovePage</name>
    <message>
        <source>Moving the vault</source>
        <translation>Moving the vault</translation>
    </message>
    <message>
        <source>Every file of the vault is copied to the new storage and read back. The old storage then tells your other computers where the vault went: they follow on their next sync.</source>
        <translation>Every file of the vault is copied to the new storage and read back. The old storage then tells your other computers where the vault went: they follow on their next sync.</translation>
    </message>
    <message>
        <source>Copying and checking…</source>
        <translation>Copying and checking…</translation>
    </message>
    <message>
        <source>Unlock the folder first, then try again.</source>
        <translation>Unlock the folder first, then try again.</translation>
    </message>
    <message>
        <source>The vault was not moved: %1
Nothing was lost; you can try again (the copy resumes where it stopped).</source>
        <translation>The vault was not moved: %1
Nothing was lost; you can try again (the copy resumes where it stopped).</translation>
    </message>
    <message>
        <source>The vault is now at %1. Keep the old storage until your other computers have synced once.</source>
        <translation>The vault is now at %1. Keep the old storage until your other computers have synced once.</translation>
    </message>
</context>
<context>
    <name>MoveStoreDialog</name>
    <message>
        <source>Where should the vault move to?</source>
        <translation>Where should the vault move to?</translation>
    </message>
    <message>
        <source>Choose the shared storage your organisation gave you. It must be empty: Coffre copies the vault there, and your other computers follow.</source>
        <translation>Choose the shared storage your organisation gave you. It must be empty: Coffre copies the vault there, and your other computers follow.</translation>
    </message>
    <message>
        <source>Connect to a shared storage</source>
        <translation>Connect to a shared storage</translation>
    </message>
    <message>
        <source>Connect to a &amp;shared storage…</source>
        <translation>Connect to a &amp;shared storage…</translation>
    </message>
    <message>
        <source>Add a folder first.</source>
        <translation>Add a folder first.</translation>
    </message>
</context>
<context>
    <name>MyIdentityDialog</name>
    <message>
        <source>My identity</source>
        <translation>My identity</translation>
    </message>
    <message>
        <source>To share folders with colleagues, you need an identity: keys that prove who you are. Coffre creates them on this computer; your colleagues receive your identity card, never your private keys.</source>
        <translation>To share folders with colleagues, you need an identity: keys that prove who you are. Coffre creates them on this computer; your colleagues receive your identity card, never your private keys.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Your name</translation>
    </message>
    <message>
        <source>Your &amp;name:</source>
        <translation>Your &amp;name:</translation>
    </message>
    <message>
        <source>Your colleagues will see this name. Your first and last name is best.</source>
        <translation>Your colleagues will see this name. Your first and last name is best.</translation>
    </message>
    <message>
        <source>This computer has no system keyring that can keep your private keys. Coffre keeps them in a file protected by a passphrase instead: choose one, and keep it as carefully as your vault&apos;s passphrase.</source>
        <translation>This computer has no system keyring that can keep your private keys. Coffre keeps them in a file protected by a passphrase instead: choose one, and keep it as carefully as your vault&apos;s passphrase.</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Passphrase, again</source>
        <translation>Passphrase, again</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>Type it &amp;again:</source>
        <translation>Type it &amp;again:</translation>
    </message>
    <message>
        <source>Creating your identity</source>
        <translation>Creating your identity</translation>
    </message>
    <message>
        <source>C&amp;reate my identity</source>
        <translation>C&amp;reate my identity</translation>
    </message>
    <message>
        <source>Your fingerprint:</source>
        <translation>Your fingerprint:</translation>
    </message>
    <message>
        <source>Your identity &amp;card:</source>
        <translation>Your identity &amp;card:</translation>
    </message>
    <message>
        <source>Your identity card</source>
        <translation>Your identity card</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <source>Copy the identity card</source>
        <translation>Copy the identity card</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>&amp;Save…</translation>
    </message>
    <message>
        <source>Save the identity card to a file</source>
        <translation>Save the identity card to a file</translation>
    </message>
    <message>
        <source>Send this card by mail to the colleagues who will share folders with you (paste it, or attach the saved file). It holds no secret. Then compare the safety number Coffre shows each of you, by phone or in person: that is what proves the card is really yours.</source>
        <translation>Send this card by mail to the colleagues who will share folders with you (paste it, or attach the saved file). It holds no secret. Then compare the safety number Coffre shows each of you, by phone or in person: that is what proves the card is really yours.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Details: {why}</source>
        <translation>Details: {why}</translation>
    </message>
    <message>
        <source>Your fingerprint: {groups}</source>
        <translation>Your fingerprint: {groups}</translation>
    </message>
    <message>
        <source>The identity kept on this computer ({path}) cannot be read, so it is not shown. Nothing was changed; tell your IT department.</source>
        <translation>The identity kept on this computer ({path}) cannot be read, so it is not shown. Nothing was changed; tell your IT department.</translation>
    </message>
    <message>
        <source>Your private keys are kept in this computer&apos;s system keyring.</source>
        <translation>Your private keys are kept in this computer&apos;s system keyring.</translation>
    </message>
    <message>
        <source>Your private keys are kept on this computer in a file protected by your passphrase.</source>
        <translation>Your private keys are kept on this computer in a file protected by your passphrase.</translation>
    </message>
    <message>
        <source>Type your name.</source>
        <translation>Type your name.</translation>
    </message>
    <message>
        <source>This name cannot be used: it is too long or holds a line break or a tab. Type your first and last name on one line.</source>
        <translation>This name cannot be used: it is too long or holds a line break or a tab. Type your first and last name on one line.</translation>
    </message>
    <message>
        <source>Choose a passphrase.</source>
        <translation>Choose a passphrase.</translation>
    </message>
    <message>
        <source>This passphrase is too easy to guess: see the advice above.</source>
        <translation>This passphrase is too easy to guess: see the advice above.</translation>
    </message>
    <message>
        <source>The two passphrases are different.</source>
        <translation>The two passphrases are different.</translation>
    </message>
    <message>
        <source>Your identity could not be created; nothing was changed.</source>
        <translation>Your identity could not be created; nothing was changed.</translation>
    </message>
    <message>
        <source>Your card is copied: paste it into a mail to your colleagues.</source>
        <translation>Your card is copied: paste it into a mail to your colleagues.</translation>
    </message>
    <message>
        <source>coffre-card</source>
        <translation>coffre-card</translation>
    </message>
    <message>
        <source>Save your identity card</source>
        <translation>Save your identity card</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Text files (*.txt)</translation>
    </message>
    <message>
        <source>The card could not be saved in {path}: {why}</source>
        <translation>The card could not be saved in {path}: {why}</translation>
    </message>
    <message>
        <source>Your card is saved in {path}: attach this file to a mail.</source>
        <translation>Your card is saved in {path}: attach this file to a mail.</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>Conflict in {folder}</source>
        <translation>Conflict in {folder}</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) were changed on two devices at once.</source>
        <translation>
            <numerusform>%n file was changed on two devices at once.</numerusform>
            <numerusform>%n files were changed on two devices at once.</numerusform>
        </translation>
    </message>
    <message>
        <source>{path} was changed on two devices at once.</source>
        <translation>{path} was changed on two devices at once.</translation>
    </message>
    <message>
        <source>Both versions are kept; open Coffre to choose.</source>
        <translation>Both versions are kept; open Coffre to choose.</translation>
    </message>
    <message>
        <source>Coffre needs your passphrase</source>
        <translation>Coffre needs your passphrase</translation>
    </message>
    <message>
        <source>The folder {folder} is not syncing yet: click the Coffre icon, or open Coffre, to unlock it.</source>
        <translation>The folder {folder} is not syncing yet: click the Coffre icon, or open Coffre, to unlock it.</translation>
    </message>
    <message>
        <source>Deletion held in {folder}</source>
        <translation>Deletion held in {folder}</translation>
    </message>
    <message numerus="yes">
        <source>Syncing would delete %n file(s). Nothing was deleted: open Coffre to confirm or keep them.</source>
        <translation>
            <numerusform>Syncing would delete %n file. Nothing was deleted: open Coffre to confirm or keep it.</numerusform>
            <numerusform>Syncing would delete %n files. Nothing was deleted: open Coffre to confirm or keep them.</numerusform>
        </translation>
    </message>
    <message>
        <source>New member in {folder}</source>
        <translation>New member in {folder}</translation>
    </message>
    <message>
        <source>{name} now shares this folder.</source>
        <translation>{name} now shares this folder.</translation>
    </message>
    <message numerus="yes">
        <source>{name} and %n other person(s) now share this folder.</source>
        <translation>
            <numerusform>{name} and %n other person now share this folder.</numerusform>
            <numerusform>{name} and %n other people now share this folder.</numerusform>
        </translation>
    </message>
    <message>
        <source>A member left {folder}</source>
        <translation>A member left {folder}</translation>
    </message>
    <message>
        <source>{name} no longer shares this folder: files changed from now on are encrypted with a key they do not have.</source>
        <translation>{name} no longer shares this folder: files changed from now on are encrypted with a key they do not have.</translation>
    </message>
    <message numerus="yes">
        <source>{name} and %n other person(s) no longer share this folder.</source>
        <translation>
            <numerusform>{name} and %n other person no longer share this folder.</numerusform>
            <numerusform>{name} and %n other people no longer share this folder.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync stopped in {folder}</source>
        <translation>Sync stopped in {folder}</translation>
    </message>
    <message>
        <source>Open Coffre to see what happened.</source>
        <translation>Open Coffre to see what happened.</translation>
    </message>
    <message>
        <source>The vault of {folder} moved</source>
        <translation>The vault of {folder} moved</translation>
    </message>
    <message>
        <source>This folder now syncs with {store}.</source>
        <translation>This folder now syncs with {store}.</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Unlock {name}</source>
        <translation>Unlock {name}</translation>
    </message>
    <message>
        <source>Type the passphrase of the vault that {folder} is synced with.</source>
        <translation>Type the passphrase of the vault that {folder} is synced with.</translation>
    </message>
    <message>
        <source>Why the vault could not be unlocked</source>
        <translation>Why the vault could not be unlocked</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PurgeDialog</name>
    <message>
        <source>Erase for good</source>
        <translation>Erase for good</translation>
    </message>
    <message>
        <source>Erase {path} and its {count} versions for good?</source>
        <translation>Erase {path} and its {count} versions for good?</translation>
    </message>
    <message>
        <source>It is removed from the shared storage and from the history of every device, which also move their copy out of the folder. This cannot be undone: no version can be restored afterwards, not even by your IT department.</source>
        <translation>It is removed from the shared storage and from the history of every device, which also move their copy out of the folder. This cannot be undone: no version can be restored afterwards, not even by your IT department.</translation>
    </message>
    <message>
        <source>&amp;Erase for good</source>
        <translation>&amp;Erase for good</translation>
    </message>
</context>
<context>
    <name>QuarantineView</name>
    <message numerus="yes">
        <source>Files that were deleted on another device are kept here for %n day(s).</source>
        <translation>
            <numerusform>Files that were deleted on another device are kept here for %n day.</numerusform>
            <numerusform>Files that were deleted on another device are kept here for %n days.</numerusform>
        </translation>
    </message>
    <message>
        <source>Files removed by sync</source>
        <translation>Files removed by sync</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Removed</translation>
    </message>
    <message>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>&amp;Restore</translation>
    </message>
    <message>
        <source>Put the selected file back</source>
        <translation>Put the selected file back</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Re&amp;fresh</translation>
    </message>
    <message>
        <source>Refresh the quarantine</source>
        <translation>Refresh the quarantine</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Restored {path}.</source>
        <translation>Restored {path}.</translation>
    </message>
</context>
<context>
    <name>RememberKey</name>
    <message>
        <source>&amp;Remember on this computer</source>
        <translation>&amp;Remember on this computer</translation>
    </message>
    <message>
        <source>Remember the vault key on this computer</source>
        <translation>Remember the vault key on this computer</translation>
    </message>
    <message>
        <source>Coffre then opens by itself when you log in: a key for this computer is kept in its keyring, protected by your session password, and any program you run in your session could use it to read the vault, until you forget this computer (Coffre menu) or change the passphrase. Tick only on a computer that you alone use.</source>
        <translation>Coffre then opens by itself when you log in: a key for this computer is kept in its keyring, protected by your session password, and any program you run in your session could use it to read the vault, until you forget this computer (Coffre menu) or change the passphrase. Tick only on a computer that you alone use.</translation>
    </message>
</context>
<context>
    <name>RemoveDialog</name>
    <message>
        <source>Files changed from now on are encrypted with a new key that {name} never receives.</source>
        <translation>Files changed from now on are encrypted with a new key that {name} never receives.</translation>
    </message>
    <message>
        <source>What {name} already downloaded stays on their computers: no removal can take it back.</source>
        <translation>What {name} already downloaded stays on their computers: no removal can take it back.</translation>
    </message>
    <message>
        <source>The older keys {name} held still open the files as they were before the removal, if {name} can still reach the storage. Check “Re-encrypt” to encrypt them again under the new key.</source>
        <translation>The older keys {name} held still open the files as they were before the removal, if {name} can still reach the storage. Check “Re-encrypt” to encrypt them again under the new key.</translation>
    </message>
    <message>
        <source>The folder&apos;s files are encrypted again under the new key: the older keys {name} held no longer open them. This uploads the whole folder again and may take a while.</source>
        <translation>The folder&apos;s files are encrypted again under the new key: the older keys {name} held no longer open them. This uploads the whole folder again and may take a while.</translation>
    </message>
    <message>
        <source>Ask your IT department to withdraw the storage access (account, password or access key) {name} used: Coffre cannot do it.</source>
        <translation>Ask your IT department to withdraw the storage access (account, password or access key) {name} used: Coffre cannot do it.</translation>
    </message>
    <message>
        <source>If {name} knew the vault&apos;s passphrase, change it (Coffre menu, “Change the passphrase…”): the passphrase opens every key.</source>
        <translation>If {name} knew the vault&apos;s passphrase, change it (Coffre menu, “Change the passphrase…”): the passphrase opens every key.</translation>
    </message>
    <message>
        <source>Remove a computer</source>
        <translation>Remove a computer</translation>
    </message>
    <message>
        <source>Remove from the folder</source>
        <translation>Remove from the folder</translation>
    </message>
    <message>
        <source>Remove the computer {name} from this folder?</source>
        <translation>Remove the computer {name} from this folder?</translation>
    </message>
    <message>
        <source>Remove {name} from this folder?</source>
        <translation>Remove {name} from this folder?</translation>
    </message>
    <message>
        <source>What the removal does and cannot do</source>
        <translation>What the removal does and cannot do</translation>
    </message>
    <message>
        <source>&amp;Re-encrypt the folder&apos;s files under the new key</source>
        <translation>&amp;Re-encrypt the folder&apos;s files under the new key</translation>
    </message>
    <message>
        <source>Re&amp;move the computer</source>
        <translation>Re&amp;move the computer</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>Re&amp;move</translation>
    </message>
</context>
<context>
    <name>SecretFields</name>
    <message>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>New passphrase</translation>
    </message>
    <message>
        <source>New passphrase, again</source>
        <translation>New passphrase, again</translation>
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
        <source>What to fix</source>
        <translation>What to fix</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>&amp;Recovery key:</source>
        <translation>&amp;Recovery key:</translation>
    </message>
    <message>
        <source>&amp;New passphrase:</source>
        <translation>&amp;New passphrase:</translation>
    </message>
    <message>
        <source>Type it &amp;again:</source>
        <translation>Type it &amp;again:</translation>
    </message>
    <message>
        <source>Use the passphrase instead</source>
        <translation>Use the passphrase instead</translation>
    </message>
    <message>
        <source>Type the recovery key you wrote down when the vault was created, then choose a new passphrase. The forgotten passphrase stops working on every computer; type the new one there.</source>
        <translation>Type the recovery key you wrote down when the vault was created, then choose a new passphrase. The forgotten passphrase stops working on every computer; type the new one there.</translation>
    </message>
    <message>
        <source>Type the recovery key.</source>
        <translation>Type the recovery key.</translation>
    </message>
    <message>
        <source>This recovery key contains a typo or is incomplete: it has 32 characters in 8 groups of 4. Compare it with the printed key.</source>
        <translation>This recovery key contains a typo or is incomplete: it has 32 characters in 8 groups of 4. Compare it with the printed key.</translation>
    </message>
    <message>
        <source>Type the passphrase.</source>
        <translation>Type the passphrase.</translation>
    </message>
    <message>
        <source>This new passphrase is too easy to guess: see the advice above.</source>
        <translation>This new passphrase is too easy to guess: see the advice above.</translation>
    </message>
    <message>
        <source>The two new passphrases are different.</source>
        <translation>The two new passphrases are different.</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>Editor</translation>
    </message>
    <message>
        <source>Reader</source>
        <translation>Reader</translation>
    </message>
    <message>
        <source>Owners change files and decide who shares the folder.</source>
        <translation>Owners change files and decide who shares the folder.</translation>
    </message>
    <message>
        <source>Editors change files; they cannot add or remove anyone.</source>
        <translation>Editors change files; they cannot add or remove anyone.</translation>
    </message>
    <message>
        <source>Readers receive the files but cannot change them: what they change stays on their computer and is not synced.</source>
        <translation>Readers receive the files but cannot change them: what they change stays on their computer and is not synced.</translation>
    </message>
    <message>
        <source>Share {folder}</source>
        <translation>Share {folder}</translation>
    </message>
    <message>
        <source>&amp;People who share this folder:</source>
        <translation>&amp;People who share this folder:</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Fingerprint</translation>
    </message>
    <message>
        <source>People who share this folder</source>
        <translation>People who share this folder</translation>
    </message>
    <message>
        <source>Change the &amp;role</source>
        <translation>Change the &amp;role</translation>
    </message>
    <message>
        <source>Make {role}</source>
        <translation>Make {role}</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>Re&amp;move…</translation>
    </message>
    <message>
        <source>Remove the selected person or computer</source>
        <translation>Remove the selected person or computer</translation>
    </message>
    <message>
        <source>Add a colleague</source>
        <translation>Add a colleague</translation>
    </message>
    <message>
        <source>Paste the identity card your colleague sent you, or choose the file they attached to their mail.</source>
        <translation>Paste the identity card your colleague sent you, or choose the file they attached to their mail.</translation>
    </message>
    <message>
        <source>Your colleague&apos;s identity card</source>
        <translation>Your colleague&apos;s identity card</translation>
    </message>
    <message>
        <source>Role of the new member</source>
        <translation>Role of the new member</translation>
    </message>
    <message>
        <source>Their r&amp;ole:</source>
        <translation>Their r&amp;ole:</translation>
    </message>
    <message>
        <source>C&amp;hoose a file…</source>
        <translation>C&amp;hoose a file…</translation>
    </message>
    <message>
        <source>Choose the card&apos;s file</source>
        <translation>Choose the card&apos;s file</translation>
    </message>
    <message>
        <source>Safety number:</source>
        <translation>Safety number:</translation>
    </message>
    <message>
        <source>&amp;Add to the folder</source>
        <translation>&amp;Add to the folder</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Working</translation>
    </message>
    <message>
        <source>Change the &amp;passphrase…</source>
        <translation>Change the &amp;passphrase…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>The people who share this folder could not be listed.</source>
        <translation>The people who share this folder could not be listed.</translation>
    </message>
    <message>
        <source>Details: {why}</source>
        <translation>Details: {why}</translation>
    </message>
    <message>
        <source>Reading who shares this folder…</source>
        <translation>Reading who shares this folder…</translation>
    </message>
    <message>
        <source>You are {role} of this folder. {help}</source>
        <translation>You are {role} of this folder. {help}</translation>
    </message>
    <message>
        <source>(you)</source>
        <translation>(you)</translation>
    </message>
    <message>
        <source>(this computer)</source>
        <translation>(this computer)</translation>
    </message>
    <message>
        <source>You can remove your other computers; an owner removes the others.</source>
        <translation>You can remove your other computers; an owner removes the others.</translation>
    </message>
    <message>
        <source>Only an owner of the folder adds, removes or changes roles.</source>
        <translation>Only an owner of the folder adds, removes or changes roles.</translation>
    </message>
    <message>
        <source>{name} already shares this folder, as {role}.</source>
        <translation>{name} already shares this folder, as {role}.</translation>
    </message>
    <message>
        <source>Careful: {name} already shares this folder with other keys (fingerprint {fingerprint}). If {name} made a new identity, compare the safety number below with them by phone before adding it, then remove the old one. Otherwise this card is not theirs: do not add it.</source>
        <translation>Careful: {name} already shares this folder with other keys (fingerprint {fingerprint}). If {name} made a new identity, compare the safety number below with them by phone before adding it, then remove the old one. Otherwise this card is not theirs: do not add it.</translation>
    </message>
    <message>
        <source>The card of &lt;b&gt;{name}&lt;/b&gt; is intact. Fingerprint: {fingerprint}</source>
        <translation>The card of &lt;b&gt;{name}&lt;/b&gt; is intact. Fingerprint: {fingerprint}</translation>
    </message>
    <message>
        <source>Before adding {name}, call them or meet them; not by mail or chat, which could be the way the card was swapped. {name} opens “Verify a colleague” with your card and reads their safety number aloud, one group at a time. Add {name} only if all 30 digits are the same as these.</source>
        <translation>Before adding {name}, call them or meet them; not by mail or chat, which could be the way the card was swapped. {name} opens “Verify a colleague” with your card and reads their safety number aloud, one group at a time. Add {name} only if all 30 digits are the same as these.</translation>
    </message>
    <message>
        <source>{name} is added as {role}. Their computer receives the folder&apos;s key at its next sync: tell them to open Coffre and join the folder.</source>
        <translation>{name} is added as {role}. Their computer receives the folder&apos;s key at its next sync: tell them to open Coffre and join the folder.</translation>
    </message>
    <message>
        <source>{name} could not be added; nothing was changed.</source>
        <translation>{name} could not be added; nothing was changed.</translation>
    </message>
    <message>
        <source>Make an owner</source>
        <translation>Make an owner</translation>
    </message>
    <message>
        <source>Make {name} an owner of this folder? An owner adds and removes anyone, you included, and changes everyone&apos;s role.</source>
        <translation>Make {name} an owner of this folder? An owner adds and removes anyone, you included, and changes everyone&apos;s role.</translation>
    </message>
    <message>
        <source>&amp;Make owner</source>
        <translation>&amp;Make owner</translation>
    </message>
    <message>
        <source>{name} is now {role}.</source>
        <translation>{name} is now {role}.</translation>
    </message>
    <message>
        <source>The role of {name} could not be changed.</source>
        <translation>The role of {name} could not be changed.</translation>
    </message>
    <message>
        <source>{name} could not be removed; nothing was changed.</source>
        <translation>{name} could not be removed; nothing was changed.</translation>
    </message>
    <message>
        <source>{name} is removed: files changed from now on are encrypted with a new key. Do not forget to have their storage access withdrawn, and to change the passphrase if they knew it.</source>
        <translation>{name} is removed: files changed from now on are encrypted with a new key. Do not forget to have their storage access withdrawn, and to change the passphrase if they knew it.</translation>
    </message>
    <message>
        <source>The computer {name} is removed: files changed from now on are encrypted with a new key. If it was lost or stolen, have the storage access it kept withdrawn, and change the passphrase if it remembered it.</source>
        <translation>The computer {name} is removed: files changed from now on are encrypted with a new key. If it was lost or stolen, have the storage access it kept withdrawn, and change the passphrase if it remembered it.</translation>
    </message>
    <message>
        <source>The computer {name} could not be removed; nothing was changed.</source>
        <translation>The computer {name} could not be removed; nothing was changed.</translation>
    </message>
</context>
<context>
    <name>ShareMenu</name>
    <message>
        <source>S&amp;hare…</source>
        <translation>S&amp;hare…</translation>
    </message>
    <message>
        <source>Who shares the selected folder: add, remove, change roles.</source>
        <translation>Who shares the selected folder: add, remove, change roles.</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Modified</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>&amp;Open this version</source>
        <translation>&amp;Open this version</translation>
    </message>
    <message>
        <source>Open this version: {title}</source>
        <translation>Open this version: {title}</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>Coffre menu</source>
        <translation>Coffre menu</translation>
    </message>
    <message>
        <source>Open the &amp;folder</source>
        <translation>Open the &amp;folder</translation>
    </message>
    <message>
        <source>Open &amp;Coffre</source>
        <translation>Open &amp;Coffre</translation>
    </message>
    <message>
        <source>&amp;Unlock with the passphrase…</source>
        <translation>&amp;Unlock with the passphrase…</translation>
    </message>
    <message>
        <source>&amp;Pause syncing</source>
        <translation>&amp;Pause syncing</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Coffre: up to date</source>
        <translation>Coffre: up to date</translation>
    </message>
    <message>
        <source>Coffre: syncing</source>
        <translation>Coffre: syncing</translation>
    </message>
    <message>
        <source>Coffre: paused</source>
        <translation>Coffre: paused</translation>
    </message>
    <message>
        <source>Coffre: offline, changes are kept for later</source>
        <translation>Coffre: offline, changes are kept for later</translation>
    </message>
    <message>
        <source>Coffre: needs your attention</source>
        <translation>Coffre: needs your attention</translation>
    </message>
    <message>
        <source>Coffre: needs your passphrase to start syncing</source>
        <translation>Coffre: needs your passphrase to start syncing</translation>
    </message>
    <message>
        <source>Coffre: a conflict or a deletion awaits your choice</source>
        <translation>Coffre: a conflict or a deletion awaits your choice</translation>
    </message>
    <message>
        <source>&amp;Resume syncing</source>
        <translation>&amp;Resume syncing</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Settings…</translation>
    </message>
</context>
<context>
    <name>VaultMenu</name>
    <message>
        <source>Change the &amp;passphrase…</source>
        <translation>Change the &amp;passphrase…</translation>
    </message>
    <message>
        <source>&amp;Forget this computer</source>
        <translation>&amp;Forget this computer</translation>
    </message>
    <message>
        <source>Delete the key kept for this computer: the passphrase will be asked at the next start.</source>
        <translation>Delete the key kept for this computer: the passphrase will be asked at the next start.</translation>
    </message>
    <message>
        <source>This computer could not be forgotten: {why}</source>
        <translation>This computer could not be forgotten: {why}</translation>
    </message>
    <message>
        <source>This computer is forgotten for {folder}: its key is deleted from the store and from the keyring. Coffre will ask for the passphrase at the next start.</source>
        <translation>This computer is forgotten for {folder}: its key is deleted from the store and from the keyring. Coffre will ask for the passphrase at the next start.</translation>
    </message>
    <message>
        <source>This computer was not remembered for {folder}.</source>
        <translation>This computer was not remembered for {folder}.</translation>
    </message>
    <message>
        <source>Forget this computer</source>
        <translation>Forget this computer</translation>
    </message>
</context>
<context>
    <name>VerifyColleagueDialog</name>
    <message>
        <source>Verify a colleague</source>
        <translation>Verify a colleague</translation>
    </message>
    <message>
        <source>Paste the identity card your colleague sent you, or choose the file they attached to their mail. Coffre checks it and shows the safety number you will compare with them.</source>
        <translation>Paste the identity card your colleague sent you, or choose the file they attached to their mail. Coffre checks it and shows the safety number you will compare with them.</translation>
    </message>
    <message>
        <source>Your colleague&apos;s &amp;card:</source>
        <translation>Your colleague&apos;s &amp;card:</translation>
    </message>
    <message>
        <source>Your colleague&apos;s identity card</source>
        <translation>Your colleague&apos;s identity card</translation>
    </message>
    <message>
        <source>C&amp;hoose a file…</source>
        <translation>C&amp;hoose a file…</translation>
    </message>
    <message>
        <source>Choose the card&apos;s file</source>
        <translation>Choose the card&apos;s file</translation>
    </message>
    <message>
        <source>Safety number:</source>
        <translation>Safety number:</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Choose your colleague&apos;s card</source>
        <translation>Choose your colleague&apos;s card</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Text files (*.txt)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>This is not a Coffre identity card: a card starts with the line “Coffre identity card v1”. Ask your colleague for the text Coffre shows under “My identity”, or the file it saves.</source>
        <translation>This is not a Coffre identity card: a card starts with the line “Coffre identity card v1”. Ask your colleague for the text Coffre shows under “My identity”, or the file it saves.</translation>
    </message>
    <message>
        <source>This card was altered or damaged on the way: what it says does not match its signature, so it cannot be used. Ask your colleague to send it again, unchanged (the saved file, attached to a mail, is safest).</source>
        <translation>This card was altered or damaged on the way: what it says does not match its signature, so it cannot be used. Ask your colleague to send it again, unchanged (the saved file, attached to a mail, is safest).</translation>
    </message>
    <message>
        <source>The file {path} cannot be read: {why}</source>
        <translation>The file {path} cannot be read: {why}</translation>
    </message>
    <message>
        <source>This is your own identity card. Paste the card your colleague sent you.</source>
        <translation>This is your own identity card. Paste the card your colleague sent you.</translation>
    </message>
    <message>
        <source>You have no identity on this computer yet: the safety number is made from both cards. Create yours first with “My identity” in the Coffre menu.</source>
        <translation>You have no identity on this computer yet: the safety number is made from both cards. Create yours first with “My identity” in the Coffre menu.</translation>
    </message>
    <message>
        <source>The identity kept on this computer cannot be read: open “My identity” in the Coffre menu to see which file is damaged.</source>
        <translation>The identity kept on this computer cannot be read: open “My identity” in the Coffre menu to see which file is damaged.</translation>
    </message>
    <message>
        <source>Safety number</source>
        <translation>Safety number</translation>
    </message>
    <message>
        <source>The card of &lt;b&gt;{name}&lt;/b&gt; is intact. Fingerprint: {fingerprint}</source>
        <translation>The card of &lt;b&gt;{name}&lt;/b&gt; is intact. Fingerprint: {fingerprint}</translation>
    </message>
    <message>
        <source>Safety number: {groups}</source>
        <translation>Safety number: {groups}</translation>
    </message>
    <message>
        <source>Call {name} or meet them; not by mail or chat, which could be the way the card was swapped. Each of you opens “Verify a colleague” with the other&apos;s card and reads the safety number aloud, one group at a time. If all 30 digits are the same, the card really is theirs. If a single digit differs, do not use this card: ask {name} for it again, in person.</source>
        <translation>Call {name} or meet them; not by mail or chat, which could be the way the card was swapped. Each of you opens “Verify a colleague” with the other&apos;s card and reads the safety number aloud, one group at a time. If all 30 digits are the same, the card really is theirs. If a single digit differs, do not use this card: ask {name} for it again, in person.</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Messages</name>
    <message>
        <source>The passphrase or recovery key does not open this vault. Check it (upper and lower case matter) and try again.</source>
        <translation>The passphrase or recovery key does not open this vault. Check it (upper and lower case matter) and try again.</translation>
    </message>
    <message>
        <source>This recovery key is not valid: a character is probably mistyped. Check it against the paper copy.</source>
        <translation>This recovery key is not valid: a character is probably mistyped. Check it against the paper copy.</translation>
    </message>
    <message>
        <source>Data on the storage failed its integrity check: it was modified, truncated or replaced. Nothing was written from it. Tell your IT department; your other files are untouched.</source>
        <translation>Data on the storage failed its integrity check: it was modified, truncated or replaced. Nothing was written from it. Tell your IT department; your other files are untouched.</translation>
    </message>
    <message>
        <source>The storage returned older data than it had already given: it may have been restored from a backup or altered. Nothing was written from it. Tell your IT department.</source>
        <translation>The storage returned older data than it had already given: it may have been restored from a backup or altered. Nothing was written from it. Tell your IT department.</translation>
    </message>
    <message>
        <source>This vault uses a format this version of Coffre cannot read. Update Coffre.</source>
        <translation>This vault uses a format this version of Coffre cannot read. Update Coffre.</translation>
    </message>
    <message>
        <source>The storage asks for weaker protection than this vault uses, so Coffre refused it. Tell your IT department.</source>
        <translation>The storage asks for weaker protection than this vault uses, so Coffre refused it. Tell your IT department.</translation>
    </message>
    <message>
        <source>The storage {url} reported an error.</source>
        <translation>The storage {url} reported an error.</translation>
    </message>
    <message>
        <source>Something Coffre needs is missing from the storage {url}: another device may have deleted it, or the address points to the wrong place.</source>
        <translation>Something Coffre needs is missing from the storage {url}: another device may have deleted it, or the address points to the wrong place.</translation>
    </message>
    <message>
        <source>Something was already on the storage {url}, so it was not written again.</source>
        <translation>Something was already on the storage {url}, so it was not written again.</translation>
    </message>
    <message>
        <source>The storage {url} cannot be reached. Check the network connection; Coffre will try again.</source>
        <translation>The storage {url} cannot be reached. Check the network connection; Coffre will try again.</translation>
    </message>
    <message>
        <source>The storage folder {url} is missing. If it is on a network share or a removable disk, check that it is connected; Coffre will try again.</source>
        <translation>The storage folder {url} is missing. If it is on a network share or a removable disk, check that it is connected; Coffre will try again.</translation>
    </message>
    <message>
        <source>The storage {url} asked Coffre to slow down; it will try again shortly.</source>
        <translation>The storage {url} asked Coffre to slow down; it will try again shortly.</translation>
    </message>
    <message>
        <source>The storage {url} refused access. Check the credentials and access rights.</source>
        <translation>The storage {url} refused access. Check the credentials and access rights.</translation>
    </message>
    <message>
        <source>The storage address {url} is not valid or not usable. Check it.</source>
        <translation>The storage address {url} is not valid or not usable. Check it.</translation>
    </message>
    <message>
        <source>The bucket of {url} does not exist on the server. Check its name, or ask your administrator to create it.</source>
        <translation>The bucket of {url} does not exist on the server. Check its name, or ask your administrator to create it.</translation>
    </message>
    <message>
        <source>The certificate of the server {url} is not trusted. If your organisation uses its own certificate authority, ask your IT department for its certificate (a PEM file) and add ?ca_bundle=/path/to/ca.pem to the address.</source>
        <translation>The certificate of the server {url} is not trusted. If your organisation uses its own certificate authority, ask your IT department for its certificate (a PEM file) and add ?ca_bundle=/path/to/ca.pem to the address.</translation>
    </message>
    <message>
        <source>The server {url} does not use an encrypted connection on this port. Check the address: webdavs:// is encrypted (HTTPS), webdav:// is not.</source>
        <translation>The server {url} does not use an encrypted connection on this port. Check the address: webdavs:// is encrypted (HTTPS), webdav:// is not.</translation>
    </message>
    <message>
        <source>The storage {url} is full or its quota is used up. Free some space or ask your administrator for more.</source>
        <translation>The storage {url} is full or its quota is used up. Free some space or ask your administrator for more.</translation>
    </message>
    <message>
        <source>The storage no longer has this file's content. Run “coffre check”, then “coffre repair” on a computer that still has the file.</source>
        <translation>The storage no longer has this file's content. Run “coffre check”, then “coffre repair” on a computer that still has the file.</translation>
    </message>
    <message>
        <source>The storage holds a record of device {device} that this version of Coffre does not understand; its changes are still read. If it persists, tell your IT department.</source>
        <translation>The storage holds a record of device {device} that this version of Coffre does not understand; its changes are still read. If it persists, tell your IT department.</translation>
    </message>
    <message>
        <source>Device {by} accepted a change numbered {seq} from this computer that this computer never wrote: another machine uses its identity, or the storage shows different content to different computers. Tell your IT department.</source>
        <translation>Device {by} accepted a change numbered {seq} from this computer that this computer never wrote: another machine uses its identity, or the storage shows different content to different computers. Tell your IT department.</translation>
    </message>
    <message>
        <source>Device {by} accepted change {seq} of this computer, which only knows older ones: this computer's Coffre data was restored from an old copy. Add this folder again as a new computer (coffre join).</source>
        <translation>Device {by} accepted change {seq} of this computer, which only knows older ones: this computer's Coffre data was restored from an old copy. Add this folder again as a new computer (coffre join).</translation>
    </message>
    <message>
        <source>Device {device} has two different histories at change {seq}: device {by} accepted one, this computer the other. The storage shows different content to different computers; tell your IT department.</source>
        <translation>Device {device} has two different histories at change {seq}: device {by} accepted one, this computer the other. The storage shows different content to different computers; tell your IT department.</translation>
    </message>
    <message>
        <source>The storage hides the changes of device {device}, which device {by} saw up to change {seq}: data was rolled back or withheld. Tell your IT department.</source>
        <translation>The storage hides the changes of device {device}, which device {by} saw up to change {seq}: data was rolled back or withheld. Tell your IT department.</translation>
    </message>
    <message>
        <source>The storage shows the changes of device {device} only up to change {served}, but device {by} already accepted change {seq}: the storage rolled them back. Tell your IT department.</source>
        <translation>The storage shows the changes of device {device} only up to change {served}, but device {by} already accepted change {seq}: the storage rolled them back. Tell your IT department.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list was written by a member whose role does not allow it (only owners add or remove members, change roles and renew keys); it was ignored.</source>
        <translation>Entry {position} of the member list was written by a member whose role does not allow it (only owners add or remove members, change roles and renew keys); it was ignored.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list adds a device to another member's account (each member adds their own devices); it was ignored.</source>
        <translation>Entry {position} of the member list adds a device to another member's account (each member adds their own devices); it was ignored.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list removes another member's device without being an owner; it was ignored.</source>
        <translation>Entry {position} of the member list removes another member's device without being an owner; it was ignored.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list does not apply to the list as it stands; it was ignored.</source>
        <translation>Entry {position} of the member list does not apply to the list as it stands; it was ignored.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list creates the list without making its creator an owner; it was ignored.</source>
        <translation>Entry {position} of the member list creates the list without making its creator an owner; it was ignored.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list carries keys that are not those of the person it names; it was ignored. Tell your IT department.</source>
        <translation>Entry {position} of the member list carries keys that are not those of the person it names; it was ignored. Tell your IT department.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list adds someone who is already a member; it was ignored.</source>
        <translation>Entry {position} of the member list adds someone who is already a member; it was ignored.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list is about someone who is not a member; it was ignored.</source>
        <translation>Entry {position} of the member list is about someone who is not a member; it was ignored.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list gives a member the role they already have; it was ignored.</source>
        <translation>Entry {position} of the member list gives a member the role they already have; it was ignored.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list adds a device already used in this folder (a removed device cannot come back); it was ignored.</source>
        <translation>Entry {position} of the member list adds a device already used in this folder (a removed device cannot come back); it was ignored.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list removes a device that is not a current device of the member it names; it was ignored.</source>
        <translation>Entry {position} of the member list removes a device that is not a current device of the member it names; it was ignored.</translation>
    </message>
    <message>
        <source>The organisation's policy ({source}) cannot be used: {problems}. Synchronisation stays stopped until your IT department fixes it.</source>
        <translation>The organisation's policy ({source}) cannot be used: {problems}. Synchronisation stays stopped until your IT department fixes it.</translation>
    </message>
    <message>
        <source>The organisation's policy forbids creating a vault of your own. Ask your IT department.</source>
        <translation>The organisation's policy forbids creating a vault of your own. Ask your IT department.</translation>
    </message>
    <message>
        <source>The organisation's policy forbids syncing with {address}; allowed: {allowed}. Ask your IT department.</source>
        <translation>The organisation's policy forbids syncing with {address}; allowed: {allowed}. Ask your IT department.</translation>
    </message>
    <message>
        <source>The connection to the storage {url} was closed.</source>
        <translation>The connection to the storage {url} was closed.</translation>
    </message>
    <message>
        <source>“{path}” could not be read or written. Check the disk; Coffre will retry.</source>
        <translation>“{path}” could not be read or written. Check the disk; Coffre will retry.</translation>
    </message>
    <message>
        <source>The synchronised folder is missing or not mounted. Check the disk; nothing was deleted.</source>
        <translation>The synchronised folder is missing or not mounted. Check the disk; nothing was deleted.</translation>
    </message>
    <message>
        <source>The folder “{path}” could not be read. Its contents are left alone until it can be; check its permissions.</source>
        <translation>The folder “{path}” could not be read. Its contents are left alone until it can be; check its permissions.</translation>
    </message>
    <message>
        <source>“{path}” changed while it was synchronised; Coffre will look again.</source>
        <translation>“{path}” changed while it was synchronised; Coffre will look again.</translation>
    </message>
    <message>
        <source>The disk is full or your quota is used up, so “{path}” was not written. Free some space; Coffre will retry.</source>
        <translation>The disk is full or your quota is used up, so “{path}” was not written. Free some space; Coffre will retry.</translation>
    </message>
    <message>
        <source>About {needed_mb} MB more are needed.</source>
        <translation>About {needed_mb} MB more are needed.</translation>
    </message>
    <message>
        <source>The disk is read-only, so “{path}” was not changed. Make it writable.</source>
        <translation>The disk is read-only, so “{path}” was not changed. Make it writable.</translation>
    </message>
    <message>
        <source>Access to “{path}” was refused. Check that your account may change it.</source>
        <translation>Access to “{path}” was refused. Check that your account may change it.</translation>
    </message>
    <message>
        <source>“{path}” is open in another program. Close it; Coffre will retry.</source>
        <translation>“{path}” is open in another program. Close it; Coffre will retry.</translation>
    </message>
    <message>
        <source>This disk does not accept the name “{path}”. Rename it.</source>
        <translation>This disk does not accept the name “{path}”. Rename it.</translation>
    </message>
    <message>
        <source>The name is empty.</source>
        <translation>The name is empty.</translation>
    </message>
    <message>
        <source>The path is absolute.</source>
        <translation>The path is absolute.</translation>
    </message>
    <message>
        <source>The name contains an invalid character.</source>
        <translation>The name contains an invalid character.</translation>
    </message>
    <message>
        <source>The name is written in an unusual Unicode form.</source>
        <translation>The name is written in an unusual Unicode form.</translation>
    </message>
    <message>
        <source>The path contains an empty name.</source>
        <translation>The path contains an empty name.</translation>
    </message>
    <message>
        <source>“{name}” cannot be used as a name.</source>
        <translation>“{name}” cannot be used as a name.</translation>
    </message>
    <message>
        <source>“{name}” is too long for this disk. Give it a shorter name.</source>
        <translation>“{name}” is too long for this disk. Give it a shorter name.</translation>
    </message>
    <message>
        <source>“{name}” contains a backslash (\), which Windows does not allow. Rename it.</source>
        <translation>“{name}” contains a backslash (\), which Windows does not allow. Rename it.</translation>
    </message>
    <message>
        <source>“{name}” contains a character Windows does not allow (&lt; &gt; : " | ? *). Rename it.</source>
        <translation>“{name}” contains a character Windows does not allow (&lt; &gt; : " | ? *). Rename it.</translation>
    </message>
    <message>
        <source>“{name}” is a name reserved by Windows. Rename it.</source>
        <translation>“{name}” is a name reserved by Windows. Rename it.</translation>
    </message>
    <message>
        <source>“{name}” ends with a dot or a space, which Windows does not allow. Rename it.</source>
        <translation>“{name}” ends with a dot or a space, which Windows does not allow. Rename it.</translation>
    </message>
    <message>
        <source>The name is not valid text for Coffre. Rename it on this computer.</source>
        <translation>The name is not valid text for Coffre. Rename it on this computer.</translation>
    </message>
    <message>
        <source>The name is written in a Unicode form Coffre cannot synchronise here. Rename it (typing the name again is enough).</source>
        <translation>The name is written in a Unicode form Coffre cannot synchronise here. Rename it (typing the name again is enough).</translation>
    </message>
    <message>
        <source>Another item in this folder is also spelt “{name}”, with the same letters encoded differently. Rename or remove one of them.</source>
        <translation>Another item in this folder is also spelt “{name}”, with the same letters encoded differently. Rename or remove one of them.</translation>
    </message>
    <message>
        <source>The name differs from “{other}” only by upper and lower case, and this disk cannot hold both. Rename one of them.</source>
        <translation>The name differs from “{other}” only by upper and lower case, and this disk cannot hold both. Rename one of them.</translation>
    </message>
    <message>
        <source>It is inside “{folder}”, which is not synchronised here (upper and lower case).</source>
        <translation>It is inside “{folder}”, which is not synchronised here (upper and lower case).</translation>
    </message>
    <message>
        <source>The link has an empty or invalid target.</source>
        <translation>The link has an empty or invalid target.</translation>
    </message>
    <message>
        <source>The link points outside the folder.</source>
        <translation>The link points outside the folder.</translation>
    </message>
    <message>
        <source>It could not be read on this disk this time, so nothing in it is synchronised until it can be.</source>
        <translation>It could not be read on this disk this time, so nothing in it is synchronised until it can be.</translation>
    </message>
    <message>
        <source>This is not an ordinary file or folder, so it cannot be synchronised.</source>
        <translation>This is not an ordinary file or folder, so it cannot be synchronised.</translation>
    </message>
    <message>
        <source>It kept changing while it was read; it is synchronised once it settles.</source>
        <translation>It kept changing while it was read; it is synchronised once it settles.</translation>
    </message>
    <message>
        <source>Its deletion is held: many files were deleted at once. Confirm or cancel the deletion.</source>
        <translation>Its deletion is held: many files were deleted at once. Confirm or cancel the deletion.</translation>
    </message>
    <message>
        <source>The storage lost part of another device's changes. Tell your IT department.</source>
        <translation>The storage lost part of another device's changes. Tell your IT department.</translation>
    </message>
    <message>
        <source>A summary of another device's changes could not be used; Coffre reads them one by one.</source>
        <translation>A summary of another device's changes could not be used; Coffre reads them one by one.</translation>
    </message>
    <message>
        <source>This computer's record of its changes disagrees with the storage. Synchronisation is stopped to protect your files; tell your IT department.</source>
        <translation>This computer's record of its changes disagrees with the storage. Synchronisation is stopped to protect your files; tell your IT department.</translation>
    </message>
    <message>
        <source>Entry {position} of the folder's member list cannot be read; it was ignored. If it persists, tell your IT department.</source>
        <translation>Entry {position} of the folder's member list cannot be read; it was ignored. If it persists, tell your IT department.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list belongs to another folder: it was copied here on the storage, and ignored. Tell your IT department.</source>
        <translation>Entry {position} of the member list belongs to another folder: it was copied here on the storage, and ignored. Tell your IT department.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list was copied from another place in the list; it was ignored. Tell your IT department.</source>
        <translation>Entry {position} of the member list was copied from another place in the list; it was ignored. Tell your IT department.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list does not follow the entries before it (one was removed or replaced on the storage); it was ignored. Tell your IT department.</source>
        <translation>Entry {position} of the member list does not follow the entries before it (one was removed or replaced on the storage); it was ignored. Tell your IT department.</translation>
    </message>
    <message>
        <source>The member list on the storage differs from the one this computer already accepted at entry {position}: the storage shows different lists to different computers. Nothing was changed; tell your IT department.</source>
        <translation>The member list on the storage differs from the one this computer already accepted at entry {position}: the storage shows different lists to different computers. Nothing was changed; tell your IT department.</translation>
    </message>
    <message>
        <source>The storage shows the member list only up to entry {served}, but this computer already accepted entry {pinned}: the list was rolled back. Nothing was changed; tell your IT department.</source>
        <translation>The storage shows the member list only up to entry {served}, but this computer already accepted entry {pinned}: the list was rolled back. Nothing was changed; tell your IT department.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list is missing from the storage; what depends on it was ignored. Tell your IT department.</source>
        <translation>Entry {position} of the member list is missing from the storage; what depends on it was ignored. Tell your IT department.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list is not where a member list can start or restart; it was ignored. Tell your IT department.</source>
        <translation>Entry {position} of the member list is not where a member list can start or restart; it was ignored. Tell your IT department.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list was signed by a device that is not (or no longer) a member's; it was ignored.</source>
        <translation>Entry {position} of the member list was signed by a device that is not (or no longer) a member's; it was ignored.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list has a signature that does not verify: it was forged or altered on the storage, and ignored. Tell your IT department.</source>
        <translation>Entry {position} of the member list has a signature that does not verify: it was forged or altered on the storage, and ignored. Tell your IT department.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list adds a device its owner did not certify; it was ignored. Tell your IT department.</source>
        <translation>Entry {position} of the member list adds a device its owner did not certify; it was ignored. Tell your IT department.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list would leave the folder without an owner; it was ignored.</source>
        <translation>Entry {position} of the member list would leave the folder without an owner; it was ignored.</translation>
    </message>
    <message>
        <source>Entry {position} of the member list names key generation {found} instead of {expected}; it was ignored.</source>
        <translation>Entry {position} of the member list names key generation {found} instead of {expected}; it was ignored.</translation>
    </message>
    <message>
        <source>Other members changed the member list {attempts} times while this change was being written; nothing was written. Try again.</source>
        <translation>Other members changed the member list {attempts} times while this change was being written; nothing was written. Try again.</translation>
    </message>
    <message>
        <source>This identity card is damaged or was altered, so nobody was added. Ask its owner to send it again, unchanged.</source>
        <translation>This identity card is damaged or was altered, so nobody was added. Ask its owner to send it again, unchanged.</translation>
    </message>
    <message>
        <source>The card of {name} has the fingerprint {fingerprint}, not {given}: it is not the card you expected, and nobody was added. Ask the person for their card again, in person or by phone.</source>
        <translation>The card of {name} has the fingerprint {fingerprint}, not {given}: it is not the card you expected, and nobody was added. Ask the person for their card again, in person or by phone.</translation>
    </message>
    <message>
        <source>“{role}” is not a role: choose owner, editor or reader.</source>
        <translation>“{role}” is not a role: choose owner, editor or reader.</translation>
    </message>
    <message>
        <source>Only an owner of this folder can change its members; nothing was changed. Ask an owner (see the list of members).</source>
        <translation>Only an owner of this folder can change its members; nothing was changed. Ask an owner (see the list of members).</translation>
    </message>
    <message>
        <source>No member of this folder is “{id}”: see the list of members.</source>
        <translation>No member of this folder is “{id}”: see the list of members.</translation>
    </message>
    <message>
        <source>No current device of this folder is “{id}”: see the list of members.</source>
        <translation>No current device of this folder is “{id}”: see the list of members.</translation>
    </message>
    <message>
        <source>“{id}” names several members or devices: give the whole id.</source>
        <translation>“{id}” names several members or devices: give the whole id.</translation>
    </message>
    <message>
        <source>{name} is already a member of this folder; nothing was changed. To give them another role, change their role.</source>
        <translation>{name} is already a member of this folder; nothing was changed. To give them another role, change their role.</translation>
    </message>
    <message>
        <source>{name} already has the role {role}; nothing was changed.</source>
        <translation>{name} already has the role {role}; nothing was changed.</translation>
    </message>
    <message>
        <source>This would leave the folder without an owner; nothing was changed. Make another member an owner first.</source>
        <translation>This would leave the folder without an owner; nothing was changed. Make another member an owner first.</translation>
    </message>
    <message>
        <source>This folder has no list of members yet: it was made by an older Coffre. Open it once with its passphrase to bring it up to date.</source>
        <translation>This folder has no list of members yet: it was made by an older Coffre. Open it once with its passphrase to bring it up to date.</translation>
    </message>
    <message>
        <source>This computer's keys for the folder are not available, so it cannot sign a change to the members. Open the folder with its passphrase (or your identity) first.</source>
        <translation>This computer's keys for the folder are not available, so it cannot sign a change to the members. Open the folder with its passphrase (or your identity) first.</translation>
    </message>
    <message>
        <source>The folder's keys are not open on this computer, so the members cannot be changed. Unlock the folder first.</source>
        <translation>The folder's keys are not open on this computer, so the members cannot be changed. Unlock the folder first.</translation>
    </message>
    <message>
        <source>Rewriting the older files under a new key is not available in this version of Coffre; nothing was changed. Remove the member without it.</source>
        <translation>Rewriting the older files under a new key is not available in this version of Coffre; nothing was changed. Remove the member without it.</translation>
    </message>
    <message>
        <source>No owner has added your identity to this folder yet. Send them your identity card and compare the safety number with them; then join again.</source>
        <translation>No owner has added your identity to this folder yet. Send them your identity card and compare the safety number with them; then join again.</translation>
    </message>
    <message>
        <source>Changes in this folder cannot be watched, so Coffre looks for them every few minutes.</source>
        <translation>Changes in this folder cannot be watched, so Coffre looks for them every few minutes.</translation>
    </message>
    <message>
        <source>{url} already holds a Coffre vault. Join it instead of creating a new one.</source>
        <translation>{url} already holds a Coffre vault. Join it instead of creating a new one.</translation>
    </message>
    <message>
        <source>{url} already contains files. A new vault needs an empty location.</source>
        <translation>{url} already contains files. A new vault needs an empty location.</translation>
    </message>
    <message>
        <source>There is no Coffre vault at {url}. Check the address, or create a new vault.</source>
        <translation>There is no Coffre vault at {url}. Check the address, or create a new vault.</translation>
    </message>
    <message>
        <source>Another computer created a vault here at the same moment. Join that vault instead.</source>
        <translation>Another computer created a vault here at the same moment. Join that vault instead.</translation>
    </message>
    <message>
        <source>The storage now holds another vault than the one this folder was set up with. Check the storage address; nothing was changed.</source>
        <translation>The storage now holds another vault than the one this folder was set up with. Check the storage address; nothing was changed.</translation>
    </message>
    <message>
        <source>This computer's own keys for the folder are gone (the system keyring was reset, or its key file deleted), so it cannot sign its changes. Add the folder again as a new computer, and ask an owner to remove the old one.</source>
        <translation>This computer's own keys for the folder are gone (the system keyring was reset, or its key file deleted), so it cannot sign its changes. Add the folder again as a new computer, and ask an owner to remove the old one.</translation>
    </message>
    <message>
        <source>The vault's remembered key no longer opens it. Type the passphrase again.</source>
        <translation>The vault's remembered key no longer opens it. Type the passphrase again.</translation>
    </message>
    <message>
        <source>“{path}” is not inside the synchronised folder.</source>
        <translation>“{path}” is not inside the synchronised folder.</translation>
    </message>
    <message>
        <source>“{path}” has no history in this vault.</source>
        <translation>“{path}” has no history in this vault.</translation>
    </message>
    <message>
        <source>“{path}” was only ever deleted: there is nothing to restore.</source>
        <translation>“{path}” was only ever deleted: there is nothing to restore.</translation>
    </message>
    <message>
        <source>This version of “{path}” is a deletion: choose another one.</source>
        <translation>This version of “{path}” is a deletion: choose another one.</translation>
    </message>
    <message>
        <source>“{path}” has no such version.</source>
        <translation>“{path}” has no such version.</translation>
    </message>
    <message>
        <source>This version of “{path}” is not a file.</source>
        <translation>This version of “{path}” is not a file.</translation>
    </message>
    <message>
        <source>The system keyring cannot be used (locked, missing or refused). Unlock it, or give the storage credentials in the environment.</source>
        <translation>The system keyring cannot be used (locked, missing or refused). Unlock it, or give the storage credentials in the environment.</translation>
    </message>
    <message>
        <source>This item is not in the quarantine any more.</source>
        <translation>This item is not in the quarantine any more.</translation>
    </message>
    <message>
        <source>Unlock the folder first.</source>
        <translation>Unlock the folder first.</translation>
    </message>
    <message>
        <source>“{path}” is not in the folder any more; wait for the next sync and try again.</source>
        <translation>“{path}” is not in the folder any more; wait for the next sync and try again.</translation>
    </message>
    <message>
        <source>“{path}” changed since the conflict was shown; nothing was changed. Look at the conflict again.</source>
        <translation>“{path}” changed since the conflict was shown; nothing was changed. Look at the conflict again.</translation>
    </message>
    <message>
        <source>{detail}</source>
        <translation>{detail}</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. Try again; if it persists, give the details below to your IT department.</source>
        <translation>Something unexpected went wrong. Try again; if it persists, give the details below to your IT department.</translation>
    </message>
    <message>
        <source>Check the storage credentials and access rights, then choose Sync now.</source>
        <translation>Check the storage credentials and access rights, then choose Sync now.</translation>
    </message>
    <message>
        <source>Free space on the storage or raise its quota, then choose Sync now.</source>
        <translation>Free space on the storage or raise its quota, then choose Sync now.</translation>
    </message>
    <message>
        <source>Check the storage address in the folder's settings.</source>
        <translation>Check the storage address in the folder's settings.</translation>
    </message>
    <message>
        <source>The storage returned altered data; contact your IT department before going on.</source>
        <translation>The storage returned altered data; contact your IT department before going on.</translation>
    </message>
    <message>
        <source>Check that the folder exists and is accessible (disk connected, permissions).</source>
        <translation>Check that the folder exists and is accessible (disk connected, permissions).</translation>
    </message>
    <message>
        <source>Choose Sync now to try again; if it persists, tell your IT department.</source>
        <translation>Choose Sync now to try again; if it persists, tell your IT department.</translation>
    </message>
    <message>
        <source>This identity card is damaged or was altered: its contents do not match its signature. Ask the person to send their card again, unchanged.</source>
        <translation>This identity card is damaged or was altered: its contents do not match its signature. Ask the person to send their card again, unchanged.</translation>
    </message>
    <message>
        <source>Not synced: read-only. You are a reader of this vault, so your change stays on this computer only; ask an owner to make you an editor to share it.</source>
        <translation>Not synced: read-only. You are a reader of this vault, so your change stays on this computer only; ask an owner to make you an editor to share it.</translation>
    </message>
    <message>
        <source>This computer was removed from the vault, so this folder no longer syncs. Nothing was deleted here; ask an owner to add it again if this is a mistake.</source>
        <translation>This computer was removed from the vault, so this folder no longer syncs. Nothing was deleted here; ask an owner to add it again if this is a mistake.</translation>
    </message>
    <message>
        <source>An owner removed you from this vault, so this folder no longer syncs. Nothing was deleted on this computer.</source>
        <translation>An owner removed you from this vault, so this folder no longer syncs. Nothing was deleted on this computer.</translation>
    </message>
    <message>
        <source>This computer is not yet in the vault's member list, so it cannot sync. Join the vault again from this computer (coffre join).</source>
        <translation>This computer is not yet in the vault's member list, so it cannot sync. Join the vault again from this computer (coffre join).</translation>
    </message>
    <message>
        <source>Entry {position} of the member list does not name exactly the devices it concerns; it was ignored.</source>
        <translation>Entry {position} of the member list does not name exactly the devices it concerns; it was ignored.</translation>
    </message>
    <message>
        <source>Change {seq} of device {device} carries no signature and comes after this folder moved to the current format; it was not applied. An old Coffre or the folder's old key may still be in use: tell your IT department.</source>
        <translation>Change {seq} of device {device} carries no signature and comes after this folder moved to the current format; it was not applied. An old Coffre or the folder's old key may still be in use: tell your IT department.</translation>
    </message>
    <message>
        <source>Changes of device {device} rely on a newer member list than this computer has read; they will be applied once it has read it.</source>
        <translation>Changes of device {device} rely on a newer member list than this computer has read; they will be applied once it has read it.</translation>
    </message>
    <message>
        <source>Changes of device {device} use key generation {epoch}, newer than this computer knows; they will be applied once it has read the newer member list.</source>
        <translation>Changes of device {device} use key generation {epoch}, newer than this computer knows; they will be applied once it has read the newer member list.</translation>
    </message>
    <message>
        <source>Changes of device {device} were not applied: no member of this folder added that device. Tell your IT department.</source>
        <translation>Changes of device {device} were not applied: no member of this folder added that device. Tell your IT department.</translation>
    </message>
    <message>
        <source>Changes of device “{name}” were not applied: that device had been removed from the folder.</source>
        <translation>Changes of device “{name}” were not applied: that device had been removed from the folder.</translation>
    </message>
    <message>
        <source>Changes of device “{name}” were not applied: the person it belongs to could only read this folder when they were made.</source>
        <translation>Changes of device “{name}” were not applied: the person it belongs to could only read this folder when they were made.</translation>
    </message>
    <message>
        <source>Changes of device “{name}” were not applied: they were sealed with an old key (generation {epoch} instead of {expected} or later), which removed members may still hold.</source>
        <translation>Changes of device “{name}” were not applied: they were sealed with an old key (generation {epoch} instead of {expected} or later), which removed members may still hold.</translation>
    </message>
    <message>
        <source>Changes of device “{name}” after its change {cut} were not applied: entry {position} of the member list removed that device or took away its right to change files.</source>
        <translation>Changes of device “{name}” after its change {cut} were not applied: entry {position} of the member list removed that device or took away its right to change files.</translation>
    </message>
</context>
</TS>

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
    <message>
        <source>Waiting for you: a deletion must be confirmed</source>
        <translation>Recent changes&lt;/source&gt;
        &lt;translation&gt;Recent changes&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;When&lt;/source&gt;
        &lt;translation&gt;When&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;What&lt;/source&gt;
        &lt;translation&gt;What&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;File&lt;/source&gt;
        &lt;translation&gt;File&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;By&lt;/source&gt;
        &lt;translation&gt;By&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Open&lt;/source&gt;
        &lt;translation&gt;&amp;Open&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Open the file&lt;/source&gt;
        &lt;translation&gt;Open the file&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Show in &amp;folder&lt;/source&gt;
        &lt;translation&gt;Show in &amp;folder&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Show the file in its folder&lt;/source&gt;
        &lt;translation&gt;Show the file in its folder&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Renamed from {old}&lt;/source&gt;
        &lt;translation&gt;Renamed from {old}&lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;Banner&lt;/name&gt;
    &lt;message&gt;
        &lt;source&gt;Notification&lt;/source&gt;
        &lt;translation&gt;Notification&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Notification text&lt;/source&gt;
        &lt;translation&gt;Notification text&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Dismiss&lt;/source&gt;
        &lt;translation&gt;&amp;Dismiss&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Dismiss the notification&lt;/source&gt;
        &lt;translation&gt;Dismiss the notification&lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;ConflictsView&lt;/name&gt;
    &lt;message&gt;
        &lt;source&gt;Two devices changed the same file. Both versions are kept until you choose.&lt;/source&gt;
        &lt;translation&gt;Two devices changed the same file. Both versions are kept until you choose.&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Conflicts&lt;/source&gt;
        &lt;translation&gt;Conflicts&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Your version&lt;/source&gt;
        &lt;translation&gt;Your version&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;The other version&lt;/source&gt;
        &lt;translation&gt;The other version&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Keep &amp;mine&lt;/source&gt;
        &lt;translation&gt;Keep &amp;mine&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Keep my version&lt;/source&gt;
        &lt;translation&gt;Keep my version&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Keep &amp;theirs&lt;/source&gt;
        &lt;translation&gt;Keep &amp;theirs&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Keep the other version&lt;/source&gt;
        &lt;translation&gt;Keep the other version&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Keep &amp;both&lt;/source&gt;
        &lt;translation&gt;Keep &amp;both&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Keep both versions as separate files&lt;/source&gt;
        &lt;translation&gt;Keep both versions as separate files&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Refresh&lt;/source&gt;
        &lt;translation&gt;&amp;Refresh&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Refresh the conflicts&lt;/source&gt;
        &lt;translation&gt;Refresh the conflicts&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Result&lt;/source&gt;
        &lt;translation&gt;Result&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;No conflicts.&lt;/source&gt;
        &lt;translation&gt;No conflicts.&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Settled: {path}&lt;/source&gt;
        &lt;translation&gt;Settled: {path}&lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;FolderStatusWidget&lt;/name&gt;
    &lt;message&gt;
        &lt;source&gt;Folder {name}&lt;/source&gt;
        &lt;translation&gt;Folder {name}&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;State&lt;/source&gt;
        &lt;translation&gt;State&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Last sync&lt;/source&gt;
        &lt;translation&gt;Last sync&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Current activity&lt;/source&gt;
        &lt;translation&gt;Current activity&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Progress&lt;/source&gt;
        &lt;translation&gt;Progress&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Speed&lt;/source&gt;
        &lt;translation&gt;Speed&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Pause&lt;/source&gt;
        &lt;translation&gt;&amp;Pause&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Pause or resume syncing&lt;/source&gt;
        &lt;translation&gt;Pause or resume syncing&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Sync now&lt;/source&gt;
        &lt;translation&gt;&amp;Sync now&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Sync now&lt;/source&gt;
        &lt;translation&gt;Sync now&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Unlock…&lt;/source&gt;
        &lt;translation&gt;&amp;Unlock…&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Unlock the folder with the passphrase&lt;/source&gt;
        &lt;translation&gt;Unlock the folder with the passphrase&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Locked: {reason}&lt;/source&gt;
        &lt;translation&gt;Locked: {reason}&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Waiting for your passphrase&lt;/source&gt;
        &lt;translation&gt;Waiting for your passphrase&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Opening the vault…&lt;/source&gt;
        &lt;translation&gt;Opening the vault…&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Last sync: {when}&lt;/source&gt;
        &lt;translation&gt;Last sync: {when}&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Resume&lt;/source&gt;
        &lt;translation&gt;&amp;Resume&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Waiting for you: a deletion must be confirmed</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for you: %n conflict(s) to settle</source>
        <translation>
            <numerusform>Waiting for you: %n conflict(s) to settle</numerusform>
            <numerusform>Waiting for you: %n conflict(s) to settle</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Needs attention: %n item(s) could not be synced</source>
        <translation>
            <numerusform>Needs attention: %n item(s) could not be synced</numerusform>
            <numerusform>Needs attention: %n item(s) could not be synced</numerusform>
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
        <source>{when} (current version)</source>
        <translation>
            <numerusform>Sending {done} of %n file(s)&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Sending {done} of %n file&lt;/numerusform&gt;
            &lt;numerusform&gt;Sending {done} of %n files&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;Receiving {done} of %n file(s)&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Receiving {done} of %n file&lt;/numerusform&gt;
            &lt;numerusform&gt;Receiving {done} of %n files&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n item(s) examined&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n item examined&lt;/numerusform&gt;
            &lt;numerusform&gt;%n items examined&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n item(s) could not be synced&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n item could not be synced&lt;/numerusform&gt;
            &lt;numerusform&gt;%n items could not be synced&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;Format&lt;/name&gt;
    &lt;message&gt;
        &lt;source&gt;{size}/s&lt;/source&gt;
        &lt;translation&gt;{size}/s&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;never&lt;/source&gt;
        &lt;translation&gt;never&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Paused (metered network)&lt;/source&gt;
        &lt;translation&gt;Paused (metered network)&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Up to date&lt;/source&gt;
        &lt;translation&gt;Up to date&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Looking for changes&lt;/source&gt;
        &lt;translation&gt;Looking for changes&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Syncing&lt;/source&gt;
        &lt;translation&gt;Syncing&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Paused&lt;/source&gt;
        &lt;translation&gt;Paused&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Offline&lt;/source&gt;
        &lt;translation&gt;Offline&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Needs attention&lt;/source&gt;
        &lt;translation&gt;Needs attention&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Added&lt;/source&gt;
        &lt;translation&gt;Added&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Modified&lt;/source&gt;
        &lt;translation&gt;Modified&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Deleted&lt;/source&gt;
        &lt;translation&gt;Deleted&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Renamed&lt;/source&gt;
        &lt;translation&gt;Renamed&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Conflict copy&lt;/source&gt;
        &lt;translation&gt;Conflict copy&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Added (received)&lt;/source&gt;
        &lt;translation&gt;Added (received)&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Modified (received)&lt;/source&gt;
        &lt;translation&gt;Modified (received)&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Deleted (moved to quarantine)&lt;/source&gt;
        &lt;translation&gt;Deleted (moved to quarantine)&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Renamed (received)&lt;/source&gt;
        &lt;translation&gt;Renamed (received)&lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;HeldDeletionPanel&lt;/name&gt;
    &lt;message&gt;
        &lt;source&gt;Held deletion&lt;/source&gt;
        &lt;translation&gt;Held deletion&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Held deletion details&lt;/source&gt;
        &lt;translation&gt;Held deletion details&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Keep the files&lt;/source&gt;
        &lt;translation&gt;&amp;Keep the files&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Keep the files and cancel the deletion&lt;/source&gt;
        &lt;translation&gt;Keep the files and cancel the deletion&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Delete them&lt;/source&gt;
        &lt;translation&gt;&amp;Delete them&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Confirm the deletion&lt;/source&gt;
        &lt;translation&gt;Confirm the deletion&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;Syncing would delete %n file(s) in {folder}. Nothing was deleted: confirm if this is what you want, or keep the files.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Syncing would delete %n file in {folder}. Nothing was deleted: confirm if this is what you want, or keep the file.&lt;/numerusform&gt;
            &lt;numerusform&gt;Syncing would delete %n files in {folder}. Nothing was deleted: confirm if this is what you want, or keep the files.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;and %n more&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;and %n more&lt;/numerusform&gt;
            &lt;numerusform&gt;and %n more&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;HistoryView&lt;/name&gt;
    &lt;message&gt;
        &lt;source&gt;Find a file&lt;/source&gt;
        &lt;translation&gt;Find a file&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Files&lt;/source&gt;
        &lt;translation&gt;Files&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Versions&lt;/source&gt;
        &lt;translation&gt;Versions&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;When&lt;/source&gt;
        &lt;translation&gt;When&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Device&lt;/source&gt;
        &lt;translation&gt;Device&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Size&lt;/source&gt;
        &lt;translation&gt;Size&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Restore this version&lt;/source&gt;
        &lt;translation&gt;&amp;Restore this version&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Restore the selected version&lt;/source&gt;
        &lt;translation&gt;Restore the selected version&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Re&amp;fresh&lt;/source&gt;
        &lt;translation&gt;Re&amp;fresh&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Refresh the file list&lt;/source&gt;
        &lt;translation&gt;Refresh the file list&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Result&lt;/source&gt;
        &lt;translation&gt;Result&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;deleted&lt;/source&gt;
        &lt;translation&gt;deleted&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;{when} (current version)</numerusform>
            <numerusform>Sending {done} of %n file(s)&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Sending {done} of %n file&lt;/numerusform&gt;
            &lt;numerusform&gt;Sending {done} of %n files&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;Receiving {done} of %n file(s)&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Receiving {done} of %n file&lt;/numerusform&gt;
            &lt;numerusform&gt;Receiving {done} of %n files&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n item(s) examined&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n item examined&lt;/numerusform&gt;
            &lt;numerusform&gt;%n items examined&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n item(s) could not be synced&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n item could not be synced&lt;/numerusform&gt;
            &lt;numerusform&gt;%n items could not be synced&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;Format&lt;/name&gt;
    &lt;message&gt;
        &lt;source&gt;{size}/s&lt;/source&gt;
        &lt;translation&gt;{size}/s&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;never&lt;/source&gt;
        &lt;translation&gt;never&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Paused (metered network)&lt;/source&gt;
        &lt;translation&gt;Paused (metered network)&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Up to date&lt;/source&gt;
        &lt;translation&gt;Up to date&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Looking for changes&lt;/source&gt;
        &lt;translation&gt;Looking for changes&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Syncing&lt;/source&gt;
        &lt;translation&gt;Syncing&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Paused&lt;/source&gt;
        &lt;translation&gt;Paused&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Offline&lt;/source&gt;
        &lt;translation&gt;Offline&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Needs attention&lt;/source&gt;
        &lt;translation&gt;Needs attention&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Added&lt;/source&gt;
        &lt;translation&gt;Added&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Modified&lt;/source&gt;
        &lt;translation&gt;Modified&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Deleted&lt;/source&gt;
        &lt;translation&gt;Deleted&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Renamed&lt;/source&gt;
        &lt;translation&gt;Renamed&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Conflict copy&lt;/source&gt;
        &lt;translation&gt;Conflict copy&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Added (received)&lt;/source&gt;
        &lt;translation&gt;Added (received)&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Modified (received)&lt;/source&gt;
        &lt;translation&gt;Modified (received)&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Deleted (moved to quarantine)&lt;/source&gt;
        &lt;translation&gt;Deleted (moved to quarantine)&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Renamed (received)&lt;/source&gt;
        &lt;translation&gt;Renamed (received)&lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;HeldDeletionPanel&lt;/name&gt;
    &lt;message&gt;
        &lt;source&gt;Held deletion&lt;/source&gt;
        &lt;translation&gt;Held deletion&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Held deletion details&lt;/source&gt;
        &lt;translation&gt;Held deletion details&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Keep the files&lt;/source&gt;
        &lt;translation&gt;&amp;Keep the files&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Keep the files and cancel the deletion&lt;/source&gt;
        &lt;translation&gt;Keep the files and cancel the deletion&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Delete them&lt;/source&gt;
        &lt;translation&gt;&amp;Delete them&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Confirm the deletion&lt;/source&gt;
        &lt;translation&gt;Confirm the deletion&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;Syncing would delete %n file(s) in {folder}. Nothing was deleted: confirm if this is what you want, or keep the files.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Syncing would delete %n file in {folder}. Nothing was deleted: confirm if this is what you want, or keep the file.&lt;/numerusform&gt;
            &lt;numerusform&gt;Syncing would delete %n files in {folder}. Nothing was deleted: confirm if this is what you want, or keep the files.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;and %n more&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;and %n more&lt;/numerusform&gt;
            &lt;numerusform&gt;and %n more&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;HistoryView&lt;/name&gt;
    &lt;message&gt;
        &lt;source&gt;Find a file&lt;/source&gt;
        &lt;translation&gt;Find a file&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Files&lt;/source&gt;
        &lt;translation&gt;Files&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Versions&lt;/source&gt;
        &lt;translation&gt;Versions&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;When&lt;/source&gt;
        &lt;translation&gt;When&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Device&lt;/source&gt;
        &lt;translation&gt;Device&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Size&lt;/source&gt;
        &lt;translation&gt;Size&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;&amp;Restore this version&lt;/source&gt;
        &lt;translation&gt;&amp;Restore this version&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Restore the selected version&lt;/source&gt;
        &lt;translation&gt;Restore the selected version&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Re&amp;fresh&lt;/source&gt;
        &lt;translation&gt;Re&amp;fresh&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Refresh the file list&lt;/source&gt;
        &lt;translation&gt;Refresh the file list&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;Result&lt;/source&gt;
        &lt;translation&gt;Result&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;deleted&lt;/source&gt;
        &lt;translation&gt;deleted&lt;/translation&gt;
    &lt;/message&gt;
    &lt;message&gt;
        &lt;source&gt;{when} (current version)</numerusform>
        </translation>
    </message>
    <message>
        <source>This is the version in your folder now.</source>
        <translation>This is the version in your folder now.</translation>
    </message>
    <message>
        <source>Restored {path}.</source>
        <translation>Restored {path}.</translation>
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
        <source>Sync stopped in {folder}</source>
        <translation>Sync stopped in {folder}</translation>
    </message>
    <message>
        <source>Open Coffre to see what happened.</source>
        <translation>Open Coffre to see what happened.</translation>
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
        <source>Passphrase</source>
        <translation>Passphrase</translation>
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
        <source>Remember the passphrase on this computer</source>
        <translation>Remember the passphrase on this computer</translation>
    </message>
    <message>
        <source>Coffre then opens by itself when you log in. The vault key is kept in this computer&apos;s keyring, protected by your session password. Untick on a shared computer.</source>
        <translation>Coffre then opens by itself when you log in. The vault key is kept in this computer&apos;s keyring, protected by your session password. Untick on a shared computer.</translation>
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
</context>
</TS>

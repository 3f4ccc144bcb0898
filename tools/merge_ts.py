"""A git merge driver for Qt `.ts` translation sources: the union of both sides' messages.

Two branches that each add strings both rewrite the same XML; a line merge then
conflicts although nothing contradicts. This keeps every message of ours, adds
theirs that ours lacks (into the same context), and takes their finished
translation where ours is unfinished. Run `python -m app.gui.i18n update`
afterwards so lupdate drops what the merged sources no longer use.

    git config merge.qtts.driver 'python3 tools/merge_ts.py %O %A %B'
    echo 'translations/*.ts merge=qtts' >> .git/info/attributes

or by hand on a conflicted file: `python3 tools/merge_ts.py BASE OURS THEIRS` (OURS is rewritten).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

Key = tuple[str | None, str | None]


def _key(message: ET.Element) -> Key:
    return (message.findtext("source"), message.findtext("comment"))


def _finished(message: ET.Element) -> bool:
    translation = message.find("translation")
    return translation is not None and translation.get("type") not in ("unfinished", "obsolete")


def merge(ours: ET.ElementTree, theirs: ET.ElementTree) -> None:
    contexts = {c.findtext("name"): c for c in ours.getroot().iter("context")}
    for their_context in theirs.getroot().iter("context"):
        name = their_context.findtext("name")
        context = contexts.get(name)
        if context is None:
            ours.getroot().append(their_context)
            contexts[name] = their_context
            continue
        mine = {_key(m): m for m in context.iter("message")}
        for message in their_context.iter("message"):
            own = mine.get(_key(message))
            if own is None:
                context.append(message)
            elif _finished(message) and not _finished(own):
                context.remove(own)
                context.append(message)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    _base, ours_path, theirs_path = (Path(a) for a in argv)
    try:
        ours, theirs = ET.parse(ours_path), ET.parse(theirs_path)
    except ET.ParseError as exc:  # conflict markers or a broken file: let git report it
        print(f"merge_ts: {exc}", file=sys.stderr)
        return 1
    merge(ours, theirs)
    root = ours.getroot()
    root.text = "\n"
    for context in root:  # lupdate's layout: contexts flush left, their children indented
        ET.indent(context, space="    ")
        context.tail = "\n"
    body = ET.tostring(root, encoding="unicode")
    ours_path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

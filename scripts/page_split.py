"""Which half of the realistic page set a page belongs to: dev (60 %) or heldout (40 %).

The rule is fixed once and never tuned: the page's *group* is its file stem with a trailing language
suffix (``_fi`` / ``_sv``) removed, so a page and its other-language twin always land in the same half;
the group's SHA-1 decides: ``int(sha1(group), 16) % 10 < 6`` → ``dev``, else ``heldout``.

    python scripts/page_split.py kainuu_arjentuki_fi.html kainuu_arjentuki_sv.html
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

_LANG_SUFFIX = re.compile(r"_(fi|sv)$")


def group_of(name: str) -> str:
    """'kainuu_arjentuki_sv.html' → 'kainuu_arjentuki' (twins share a group)."""
    return _LANG_SUFFIX.sub("", Path(name).stem)


def split_of(name: str) -> str:
    digest = hashlib.sha1(group_of(name).encode("utf-8")).hexdigest()
    return "dev" if int(digest, 16) % 10 < 6 else "heldout"


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(f"{split_of(arg)}\t{arg}")

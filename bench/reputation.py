"""What reputation costs: the after-record hook per edit, and a rebuild from the log.

    .venv/bin/python bench/reputation.py               # 2,000 edits by 20 people on 50 pages
    .venv/bin/python bench/reputation.py --edits 10000

Builds a fresh SQLite site in a temporary data dir, saves the edits through `page_save` (each
recorded event runs the hook), patrols every tenth, then times `rebuild` of the space and
checks it gives the same totals. Prints numbers; asserts only that the totals agree.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=2000)
    parser.add_argument("--no-hook", action="store_true", help="save without the hook, to compare")
    args = parser.parse_args()
    os.environ["PEERWORK_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-reputation-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from peerwork.accounts.actions import user_signup
    from peerwork.reputation.compute import rebuild
    from peerwork.reputation.models import Standing
    from peerwork.spaces.actions import space_create
    from peerwork.wiki import actions as wiki

    if args.no_hook:
        from peerwork.activity.recorder import _AFTER_RECORD
        from peerwork.reputation.compute import apply_event

        _AFTER_RECORD.remove(apply_event)
    mode = "without the hook" if args.no_hook else "with the hook"
    people = [user_signup(username=f"p{n}", password="a long password") for n in range(20)]
    space = space_create(user=people[0], slug="bench", name="Bench")
    started = time.perf_counter()
    for n in range(args.edits):
        title = f"Page {n % 50}"
        page = wiki.Page.objects.filter(space=space, title=title).first()
        saved = wiki.page_save(
            user=people[n % 20],
            space=space,
            title=title,
            text=f"text {n}",
            base_revision_id=page.current_revision_id if page else None,
        )
        if n % 10 == 0 and saved.revision is not None and n % 20:
            wiki.revision_review(user=people[0], revision=saved.revision)
    saving = time.perf_counter() - started
    each = saving / args.edits * 1000
    print(f"{args.edits} edits saved {mode}: {saving:.2f} s ({each:.2f} ms each)")
    if args.no_hook:
        return
    before = dict(Standing.objects.filter(space=space).values_list("person_id", "total"))
    started = time.perf_counter()
    counts = rebuild(space)
    rebuilding = time.perf_counter() - started
    after = dict(Standing.objects.filter(space=space).values_list("person_id", "total"))
    assert before == after, "rebuild changed the totals"
    print(f"rebuild: {counts['events']} events, {counts['entries']} entries in {rebuilding:.2f} s")


if __name__ == "__main__":
    main()

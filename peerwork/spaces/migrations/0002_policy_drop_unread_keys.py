"""Drop from stored space policies the keys nothing read (docs/space-policy.md).

`privileges.patrol`, `privileges.autopatrol`, `privileges.rollback`, `claim_days`,
`voting_method`, `voting_days` and `quorum_percent` left the schema; a stored policy that
still held them would be refused on its next change. Their past values stay in the activity
log's `space:policy_updated` events.
"""

from django.db import migrations

DROPPED = ("claim_days", "voting_method", "voting_days", "quorum_percent")
DROPPED_PRIVILEGES = ("patrol", "autopatrol", "rollback")


def drop_unread_keys(apps, schema_editor):
    Space = apps.get_model("spaces", "Space")
    for space in Space.objects.only("pk", "policy").iterator():
        policy = space.policy if isinstance(space.policy, dict) else None
        if not policy:
            continue
        changed = False
        for key in DROPPED:
            if key in policy:
                del policy[key]
                changed = True
        privileges = policy.get("privileges")
        if isinstance(privileges, dict):
            for key in DROPPED_PRIVILEGES:
                if key in privileges:
                    del privileges[key]
                    changed = True
        if changed:
            Space.objects.filter(pk=space.pk).update(policy=policy)


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial")]

    operations = [migrations.RunPython(drop_unread_keys, migrations.RunPython.noop)]

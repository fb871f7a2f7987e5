"""Demo data for the embedded run: a few people, an organization, spaces of each openness,
wiki pages, funded treasuries, ideas (one earning revenue), challenges (one judged and paid)
and tasks (one done and paid), and decisions (one closed and applied to the space).

Everything goes through the same actions a person would use, so the activity log is real.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

DEMO_PASSWORD = "peerwork-demo"


@transaction.atomic
def load_demo() -> bool:
    """Load once; returns False when the demo people already exist."""
    from peerwork.accounts import actions as accounts
    from peerwork.accounts.models import User
    from peerwork.accounts.selectors import user_by_username
    from peerwork.spaces import actions as spaces

    if user_by_username("ada", include_inactive=True) is not None:
        return False

    def person(username: str, name: str, **profile: object) -> User:
        user = accounts.user_signup(
            username=username,
            password=DEMO_PASSWORD,
            display_name=name,
            email=f"{username}@example.org",
        )
        # A proved address (as if its link were opened), so "Forgot your password?" and the
        # notification digests can be tried: mail goes to files unless PEERWORK_EMAIL_URL says.
        User.objects.filter(pk=user.pk).update(verified_email=user.email)
        if profile:
            user = accounts.user_update_profile(user=user, person=user, **profile)
        return user

    ada = person(
        "ada",
        "Ada Lovelace",
        bio="Writes the first programs for machines that do not exist yet.",
        skills=["mathematics", "documentation"],
        languages=["en", "fr"],
        time_zone="Europe/London",
    )
    grace = person(
        "grace", "Grace Hopper", skills=["compilers", "teaching"], time_zone="America/New_York"
    )
    linus = person("linus", "Linus Torvalds", skills=["kernels"], time_zone="Europe/Helsinki")
    ostrom = person(
        "ostrom",
        "Elinor Ostrom",
        skills=["governance", "commons"],
        language="es",
        time_zone="America/Chicago",
    )
    ostrom.is_staff = ostrom.is_superuser = True
    ostrom.save(update_fields=["is_staff", "is_superuser"])

    lab = accounts.organization_create(
        user=ada,
        slug="commons-lab",
        name="Commons Lab",
        description="A research group that studies and builds commons.",
    )
    accounts.organization_member_add(user=ada, organization=lab, member=grace)

    atlas = spaces.space_create(
        user=ada,
        slug="open-atlas",
        name="Open Atlas",
        description="A public atlas of community-made maps. Anyone signed in may contribute.",
    )
    spaces.space_join(user=linus, space=atlas)
    spaces.space_update(user=ada, space=atlas, licence="CC-BY-4.0")

    budget = spaces.space_create(
        user=grace,
        slug="city-budget",
        name="City Budget",
        description="Participatory budgeting: everyone may read, members decide.",
        participation="members",
    )
    spaces.join_request_create(
        user=linus, space=budget, message="I would like to help with the roads."
    )

    notes = spaces.space_create(
        user=ada,
        slug="lab-notes",
        name="Lab Notes",
        description="The Commons Lab's members-only notebook.",
        visibility="members",
        participation="members",
    )
    spaces.space_member_add(user=ada, space=notes, organization=lab)
    spaces.space_invitation_create(user=ada, space=notes, invitee=linus)
    _demo_pages(ada=ada, grace=grace, linus=linus, atlas=atlas, notes=notes)
    from peerwork.challenges import demo as challenges_demo
    from peerwork.ideas import demo as ideas_demo
    from peerwork.ledger import demo as ledger_demo

    # Money first: the challenges reserve their prizes from these treasuries.
    for space, steward in ((atlas, ada), (budget, grace), (notes, ada)):
        ledger_demo.seed(space=space, steward=steward)

    everyone = {"ada": ada, "grace": grace, "linus": linus, "ostrom": ostrom}
    ideas_demo.seed(space=atlas, people=everyone)
    challenges_demo.seed(space=atlas, people=everyone)  # ada seeks, grace judges
    from peerwork.tasks import demo as tasks_demo

    # ada posts; grace delivers the survey, which linus (a member) reviews.
    tasks_demo.seed(space=atlas, people={"ada": ada, "grace": grace, "linus": linus})
    from peerwork.governance import demo as governance_demo

    # City Budget's members decide: grace (its steward), ada and ostrom.
    for member in (ada, ostrom):
        spaces.space_member_add(user=grace, space=budget, member=member)
    governance_demo.seed(space=budget, people={"grace": grace, "ada": ada, "ostrom": ostrom})
    from peerwork.reputation import demo as reputation_demo

    # ada patrols Open Atlas's edits and trusts linus with rollback.
    reputation_demo.seed(space=atlas, steward=ada, trusted=linus)
    from peerwork.bridging import demo as bridging_demo

    # Cyclists and drivers in Riverside: the bridged order differs from the count.
    bridging_demo.seed(password=DEMO_PASSWORD)
    from peerwork.moderation import demo as moderation_demo

    # ada's filter holds a comment of linus's for the moderation queue.
    moderation_demo.seed(space=atlas, steward=ada, poster=linus)
    from peerwork.risk import demo as risk_demo

    # Open Atlas holds risky edits; one by someone without a role waits in its patrol queue.
    risk_demo.seed(space=atlas, steward=ada, people=[grace, ostrom, linus])
    return True


def _demo_pages(*, ada: Any, grace: Any, linus: Any, atlas: Any, notes: Any) -> None:
    """A few wiki pages with some history and a discussion, so the wiki is not empty."""
    from peerwork.discussions import actions as discussions
    from peerwork.wiki import actions as wiki

    main = wiki.page_save(
        user=ada,
        space=atlas,
        title="Main page",
        text=(
            "# Open Atlas\n\nA public atlas of community-made maps.\n\n"
            "- [[River maps]]\n- [[Cycling routes]]\n\n[[Category:Atlas]]\n"
        ),
        base_revision_id=None,
        summary="Start the atlas",
    )
    assert main.revision is not None  # a new page's first save stores a revision
    wiki.page_save(
        user=grace,
        space=atlas,
        title="Main page",
        text=main.revision.content.text.replace(
            "community-made maps.", "community-made maps, free to reuse (CC BY 4.0)."
        ),
        base_revision_id=main.revision.pk,
        summary="Mention the licence",
    )
    rivers = wiki.page_save(
        user=linus,
        space=atlas,
        title="River maps",
        text="Maps of the rivers, drawn from walks along their banks.\n\n[[Category:Atlas]]\n",
        base_revision_id=None,
        summary="New page",
    )
    discussions.comment_post(user=ada, target=rivers.page, text="Could we add the flood plains?")
    wiki.page_save(
        user=ada,
        space=notes,
        title="Main page",
        text="Members-only notes of the Commons Lab.\n",
        base_revision_id=None,
    )

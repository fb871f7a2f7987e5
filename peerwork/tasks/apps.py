from typing import TYPE_CHECKING, cast

from django.apps import AppConfig

if TYPE_CHECKING:
    from peerwork.spaces.models import Space


class TasksConfig(AppConfig):
    name = "peerwork.tasks"
    label = "tasks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from peerwork.activity import links, watching
        from peerwork.discussions import attachments
        from peerwork.discussions.views import ThreadWords, register_words
        from peerwork.interop.dumps.jsonl import section
        from peerwork.spaces.space_policy import register_section

        from . import dump, home, jobs, policy, verbs  # noqa: F401  (rules, verbs, jobs register)
        from .models import Task
        from .policy_schema import TasksPolicy

        register_section("tasks", TasksPolicy)
        section(dump.records)
        home.register()
        watching.register(Task, noun="task")
        # The task's discussion: questions, progress notes (a claimant's comment keeps the
        # claim alive), review talk. Whoever may see the task reads it.
        attachments.register(
            Task,
            space_of=lambda task: task.space,
            view_action="task.view",
            accepts_comments=lambda task: task.cancelled_at is None,
            watchers_of=watching.watcher_ids,
            url_of=lambda task: reverse("tasks:detail", args=[task.space.slug, task.pk]),
        )
        register_words(
            Task,
            ThreadWords(
                empty_text=_("No comments yet."),
                new_label=_("Comment on this task"),
                new_button=_("Post"),
            ),
        )
        links.register(
            "tasks.task",
            lambda event: reverse(
                "tasks:detail", args=[cast("Space", event.space).slug, int(event.target_id)]
            ),
        )

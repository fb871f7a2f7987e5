"""What comments can attach to: a registry of models, so every app shares one discussion.

An app makes its objects commentable with one call from its AppConfig.ready():

    from peerwork.discussions import attachments
    attachments.register(
        Idea,
        space_of=lambda idea: idea.space,
        view_action="idea.view",                 # who may read the object reads its comments
        comment_action="idea.comment",           # optional extra rule for posting (obj: the idea)
        accepts_comments=lambda idea: idea.is_open,   # optional: closed objects refuse comments
        watchers_of=lambda idea: idea.watchers.values_list("user_id", flat=True),  # optional
        url_of=lambda idea: f"/s/{idea.space.slug}/ideas/{idea.pk}",  # optional: the thread
    )

A target is named by `target_type` ("<app_label>.<model_name>", the same string the activity
log writes, e.g. "wiki.page") and `target_id` (its primary key as text). `resolve` turns the
pair back into the object; `key_of` turns an object into the pair.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from peerwork.core.errors import NotFound


@dataclass(frozen=True)
class Attachment:
    model: type[models.Model]
    target_type: str
    #: the space the object lives in; its comments belong to that space.
    space_of: Callable[[Any], Any]
    #: the permission action (obj: the target) that decides who may read the comments.
    view_action: str
    #: an extra permission action (obj: the target) a poster must pass, beyond being allowed
    #: to contribute to the space; None for none.
    comment_action: str | None
    #: False while the object takes no new comments (deleted page, closed vote, ...).
    accepts_comments: Callable[[Any], bool]
    #: user ids told about new comments (the object's watchers); None for nobody.
    watchers_of: Callable[[Any], Iterable[int]] | None
    #: the web address where the object's thread is shown; None when it is shown nowhere.
    url_of: Callable[[Any], str] | None = None


_BY_TYPE: dict[str, Attachment] = {}


def type_of(model: type[models.Model] | models.Model) -> str:
    meta = model._meta
    return f"{meta.app_label}.{meta.model_name}"


def register(
    model: type[models.Model],
    *,
    space_of: Callable[[Any], Any],
    view_action: str,
    comment_action: str | None = None,
    accepts_comments: Callable[[Any], bool] | None = None,
    watchers_of: Callable[[Any], Iterable[int]] | None = None,
    url_of: Callable[[Any], str] | None = None,
) -> Attachment:
    """Make `model`'s objects commentable. Registering a model twice is an error."""
    target_type = type_of(model)
    if target_type in _BY_TYPE:
        raise RuntimeError(f"{target_type!r} is already registered for discussions")
    attachment = Attachment(
        model=model,
        target_type=target_type,
        space_of=space_of,
        view_action=view_action,
        comment_action=comment_action,
        accepts_comments=accepts_comments or (lambda _obj: True),
        watchers_of=watchers_of,
        url_of=url_of,
    )
    _BY_TYPE[target_type] = attachment
    return attachment


def registered_types() -> list[str]:
    return sorted(_BY_TYPE)


def attachment_for(target: models.Model) -> Attachment:
    """The registration of `target`'s model; TypeError for a model nobody registered."""
    try:
        return _BY_TYPE[type_of(target)]
    except KeyError:
        raise TypeError(
            f"{type_of(target)!r} objects take no comments; register the model"
        ) from None


def attachment_for_model(model: type[models.Model] | str) -> Attachment:
    """The registration of a model (or of a `target_type` string); TypeError if none."""
    target_type = model if isinstance(model, str) else type_of(model)
    try:
        return _BY_TYPE[target_type]
    except KeyError:
        raise TypeError(f"{target_type!r} objects take no comments; register the model") from None


def key_of(target: models.Model) -> tuple[str, str]:
    """(target_type, target_id) of a commentable object."""
    return attachment_for(target).target_type, str(target.pk)


def resolve(target_type: str, target_id: str) -> Any:
    """The object named by the pair, or NotFound when the type is unknown or it does not exist.

    Says nothing about who may see it: ask the policy ("discussion.view") before showing it.
    """
    attachment = _BY_TYPE.get(target_type)
    if attachment is None:
        raise NotFound()
    pk_field = attachment.model._meta.pk
    try:
        pk = pk_field.to_python(target_id) if pk_field is not None else target_id
    except Exception:  # noqa: BLE001  (a malformed id names nothing)
        raise NotFound() from None
    target = attachment.model._default_manager.filter(pk=pk).first()
    if target is None:
        raise NotFound()
    return target

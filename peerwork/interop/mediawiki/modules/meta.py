"""meta=siteinfo, meta=userinfo and meta=tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.utils import timezone

from peerwork.core import policy
from peerwork.wiki.actions import MAX_TEXT_BYTES
from peerwork.wiki.titles import NAMESPACES

from .. import auth
from ..context import Ctx, iso, user_name

if TYPE_CHECKING:
    from peerwork.spaces.models import Space

GENERATOR = "MediaWiki 1.39.17"
MAIN_PAGE = "Main page"
SIPROPS = (
    "general",
    "namespaces",
    "namespacealiases",
    "extensions",
    "interwikimap",
    "magicwords",
    "specialpagealiases",
    "restrictions",
    "fileextensions",
    "rightsinfo",
    "statistics",
    "usergroups",
    "languages",
    "skins",
    "protocols",
)
UIPROPS = (
    "blockinfo",
    "hasmsg",
    "groups",
    "groupmemberships",
    "implicitgroups",
    "rights",
    "changeablegroups",
    "options",
    "editcount",
    "ratelimits",
    "email",
    "realname",
    "acceptlang",
    "registrationdate",
    "unreadcount",
    "centralids",
    "latestcontrib",
    "cancreateaccount",
)


def _capitalize(ctx: Ctx) -> bool:
    return ctx.space is None or ctx.space.policy.get("capitalize_titles", True)


def _base_url(ctx: Ctx) -> str:
    request = ctx.request
    return f"{request.scheme}://{request.get_host()}"


def _general(ctx: Ctx) -> dict[str, Any]:
    space = ctx.space
    assert space is not None
    server = _base_url(ctx)
    case = "first-letter" if _capitalize(ctx) else "case-sensitive"
    general: dict[str, Any] = {
        "mainpage": MAIN_PAGE,
        "base": f"{server}/s/{space.slug}/wiki/{MAIN_PAGE.replace(' ', '_')}",
        "sitename": space.name,
        "mainpageisdomainroot": False,
        "logo": "",
        "generator": GENERATOR,
        "phpversion": "",
        "phpsapi": "",
        "dbtype": "peerwork",
        "dbversion": "",
        "imagewhitelistenabled": False,
        "langconversion": False,
        "linkconversion": False,
        "titleconversion": False,
        "linkprefixcharset": "",
        "linkprefix": "",
        "linktrail": "/^([a-z]+)(.*)$/sD",
        "legaltitlechars": " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+",
        "invalidusernamechars": "@:>=",
        "allunicodefixes": False,
        "fixarabicunicode": True,
        "fixmalayalamunicode": True,
        "git-hash": "",
        "git-branch": "",
        "case": case,
        "lang": "en",
        "fallback": [],
        "rtl": False,
        "fallback8bitEncoding": "windows-1252",
        "readonly": False,
        "writeapi": True,
        "maxarticlesize": MAX_TEXT_BYTES,
        "timezone": "UTC",
        "timeoffset": 0,
        "articlepath": f"/s/{space.slug}/wiki/$1",
        "scriptpath": f"/s/{space.slug}/w",
        "script": f"/s/{space.slug}/w/index.php",
        "variantarticlepath": False,
        "server": server,
        "servername": ctx.request.get_host().split(":")[0],
        "wikiid": space.slug,
        "time": iso(timezone.now()),
        "misermode": False,
        "uploadsenabled": False,
        "maxuploadsize": 0,
        "minuploadchunksize": 1024,
        "galleryoptions": {},
        "thumblimits": {},
        "imagelimits": {},
        "favicon": f"{server}/favicon.ico",
        "centralidlookupprovider": "local",
        "allcentralidlookupproviders": ["local"],
        "interwikimagic": False,
        "magiclinks": {},
        "categorycollation": "uppercase",
        "nofollowlinks": True,
        "nofollownsexceptions": [],
        "nofollowdomainexceptions": [],
        "externallinktarget": False,
        "rights": space.get_licence_display(),
    }
    if not ctx.fv2:
        general = {
            key: value for key, value in general.items() if not isinstance(value, bool) or value
        }
        for key, value in list(general.items()):
            if value is True:
                general[key] = ""
    return general


def _namespaces(ctx: Ctx) -> dict[str, Any]:
    case = "first-letter" if _capitalize(ctx) else "case-sensitive"
    special = {-2: "Media", -1: "Special"}
    result: dict[str, Any] = {}
    for number, name in [*special.items(), *NAMESPACES.items()]:
        entry: dict[str, Any] = {"id": number, "case": case}
        if ctx.fv2:
            entry["name"] = name
        else:
            entry["*"] = name
        if name:
            entry["canonical"] = name
        ctx.set_flag(entry, "subpages", number >= 0 and number not in (6, 14))
        ctx.set_flag(entry, "content", number == 0)
        ctx.set_flag(entry, "nonincludable", False)
        result[str(number)] = entry
    return result


def _namespace_aliases(ctx: Ctx) -> list[dict[str, Any]]:
    key = "alias" if ctx.fv2 else "*"
    return [{"id": 6, key: "Image"}, {"id": 7, key: "Image talk"}]


def _magic_words(ctx: Ctx) -> list[dict[str, Any]]:
    words = [("redirect", ["#REDIRECT"]), ("notoc", ["__NOTOC__"]), ("toc", ["__TOC__"])]
    result = []
    for name, aliases in words:
        entry: dict[str, Any] = {"name": name, "aliases": aliases}
        ctx.set_flag(entry, "case-sensitive", False)
        result.append(entry)
    return result


def siteinfo(ctx: Ctx, query: dict[str, Any]) -> None:
    props = ctx.params.choices("siprop", SIPROPS, ctx, default=["general"])
    builders = {
        "general": _general,
        "namespaces": _namespaces,
        "namespacealiases": _namespace_aliases,
        "magicwords": _magic_words,
        "restrictions": lambda c: {
            "types": ["create", "edit", "move"],
            "levels": ["", "autoconfirmed", "members", "sysop"],
            "cascadinglevels": [],
            "semiprotectedlevels": ["autoconfirmed"],
        },
        # siteinfo is no space-free module: the space is there (see views._run).
        "rightsinfo": lambda c: {"url": "", "text": cast("Space", c.space).get_licence_display()},
        "statistics": _statistics,
        "usergroups": _usergroups,
        "languages": lambda c: [{"code": "en", "bcp47": "en", c.content_key: "English"}],
        "skins": lambda c: [],
        "protocols": lambda c: ["http://", "https://", "mailto:"],
    }
    for prop in props:
        build = builders.get(prop)
        query[prop] = build(ctx) if build else []


def _statistics(ctx: Ctx) -> dict[str, Any]:
    from peerwork.wiki.selectors import pages_in_space

    pages = pages_in_space(user=ctx.user, space=cast("Space", ctx.space))  # not space-free
    return {
        "pages": pages.count(),
        "articles": pages.filter(namespace=0, is_redirect=False).count(),
        "edits": 0,
        "images": 0,
        "users": 0,
        "activeusers": 0,
        "admins": 0,
        "jobs": 0,
    }


def _usergroups(ctx: Ctx) -> list[dict[str, Any]]:
    return [
        {"name": name, "rights": []} for name in ("*", "user", "autoconfirmed", "member", "sysop")
    ]


def userinfo(ctx: Ctx, query: dict[str, Any]) -> None:
    props = ctx.params.choices("uiprop", UIPROPS, ctx)
    user = ctx.user
    signed_in = policy.signed_in(user)
    info: dict[str, Any] = {
        "id": user.pk if signed_in else 0,
        "name": user_name(user.username) if signed_in else ctx.request.META.get("REMOTE_ADDR", ""),
    }
    if not signed_in:
        info["anon"] = ctx.flag_value()
    groups, rights = auth.groups_and_rights(ctx, ctx.space)
    if "blockinfo" in props and ctx.space is not None:
        from peerwork.spaces.selectors import block_in_force

        from .admin import block_info

        block = block_in_force(user, ctx.space)
        if block is not None:
            info.update(block_info(ctx, block))
    if "groups" in props:
        info["groups"] = groups
    if "implicitgroups" in props:
        info["implicitgroups"] = [g for g in groups if g in ("*", "user", "autoconfirmed")]
    if "groupmemberships" in props:
        info["groupmemberships"] = []
    if "rights" in props:
        info["rights"] = rights
    if "changeablegroups" in props:
        info["changeablegroups"] = {"add": [], "remove": [], "add-self": [], "remove-self": []}
    if "hasmsg" in props and ctx.fv2:
        info["messages"] = False
    if "editcount" in props:
        info["editcount"] = user.revisions.count() if signed_in else 0
    if "ratelimits" in props:
        info["ratelimits"] = {}
    if "options" in props:
        info["options"] = {"language": "en", "timecorrection": "System|0"}
    if "realname" in props and signed_in:
        info["realname"] = user.display_name
    if "email" in props and signed_in:
        info["email"] = ""
    if "registrationdate" in props and signed_in:
        info["registrationdate"] = iso(user.date_joined)
    if "unreadcount" in props:
        info["unreadcount"] = 0
    if "acceptlang" in props:
        info["acceptlang"] = []
    if "cancreateaccount" in props:
        ctx.set_flag(info, "cancreateaccount", False)
    if "centralids" in props:
        info["centralids"] = {"local": info["id"]}
    query["userinfo"] = info


def tokens(ctx: Ctx, query: dict[str, Any]) -> None:
    types = ctx.params.choices("type", auth.TOKEN_TYPES, ctx, default=["csrf"])
    found: dict[str, str] = {}
    for kind in types:
        if kind in ("login", "createaccount"):
            # Both stand before a person is signed in, so both are bound to the session.
            found[f"{kind}token"] = auth.login_token(ctx.request)
        else:
            found[f"{kind}token"] = auth.csrf_token(ctx.request)
    query["tokens"] = found


META_MODULES = {"siteinfo": siteinfo, "userinfo": userinfo, "tokens": tokens}
#: Meta modules that say nothing about a space, so they answer even where it is hidden.
SPACE_FREE_META = {"userinfo", "tokens"}

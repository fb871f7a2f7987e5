"""peerwork's own description of the modules it answers, served by action=paraminfo.

pywikibot learns from it each module's parameters, prefix, limits, whether it must be posted,
and the list of query submodules. Only what peerwork implements is described.
"""

from __future__ import annotations

from typing import Any

from .context import Ctx
from .modules import (  # noqa: F401  (authorship, links and tags register their modules)
    admin,
    authorship,
    links,
    lists,
    meta,
    pages,
    tags,
)
from .modules.changes import COMPARE_PROPS
from .modules.parse import PARSE_PROPS

ACTIONS = (
    "query",
    "login",
    "clientlogin",
    "logout",
    "edit",
    "move",
    "delete",
    "watch",
    "protect",
    "block",
    "unblock",
    "undelete",
    "parse",
    "paraminfo",
    "rollback",
    "patrol",
    "compare",
    "tag",
    "managetags",
)
POSTED = {
    "login",
    "clientlogin",
    "logout",
    "edit",
    "move",
    "delete",
    "watch",
    "rollback",
    "patrol",
    "tag",
    "managetags",
    "protect",
    "block",
    "unblock",
    "undelete",
}
WATCHLIST = ["watch", "unwatch", "preferences", "nochange"]
PROPS = tuple(pages.PROP_MODULES)
LISTS = tuple(lists.LIST_MODULES)
METAS = tuple(meta.META_MODULES)
GENERATORS = tuple(lists.GENERATORS)
LIMIT = {"type": "limit", "min": 1, "max": 500, "highmax": 5000, "default": 10}


def _p(name: str, kind: Any = "string", **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, **extra}


def _multi(name: str, values: Any, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": list(values),
        "multi": True,
        "limit": 50,
        "lowlimit": 50,
        "highlimit": 500,
        **extra,
    }


TOKEN = _p("token", required=True, tokentype="csrf")
NAMESPACE = _multi(
    "namespace",
    ["-2", "-1", "0", "1", "2", "3", "4", "5", "6", "7", "10", "11", "12", "13", "14", "15"],
)
NAMESPACE["type"] = "namespace"

QUERY_MODULES: dict[str, dict[str, Any]] = {
    "info": {
        "prefix": "in",
        "group": "prop",
        "parameters": [_multi("prop", pages.INPROPS), _p("continue")],
    },
    "revisions": {
        "prefix": "rv",
        "group": "prop",
        "parameters": [
            _multi("prop", pages.RVPROPS, default="ids|timestamp|flags|comment|user"),
            _multi("slots", ["main"]),
            _p("limit", **{k: v for k, v in LIMIT.items() if k != "default"}),
            _p("startid", "integer"),
            _p("endid", "integer"),
            _p("start", "timestamp"),
            _p("end", "timestamp"),
            _p("dir", ["newer", "older"], default="older"),
            _p("user", "user"),
            _p("excludeuser", "user"),
            _p("section"),
            _p("continue"),
        ],
    },
    "categories": {
        "prefix": "cl",
        "group": "prop",
        "parameters": [
            _multi("prop", ["sortkey", "timestamp", "hidden"]),
            {**LIMIT, "name": "limit"},
            _p("continue"),
        ],
    },
    "templates": {
        "prefix": "tl",
        "group": "prop",
        "generator": True,
        "parameters": [
            NAMESPACE,
            {**LIMIT, "name": "limit"},
            _p("continue"),
            _multi("templates", []),
            _p("dir", ["ascending", "descending"], default="ascending"),
        ],
    },
    "imageinfo": {
        "prefix": "ii",
        "group": "prop",
        "parameters": [
            _multi("prop", ["timestamp", "user", "url", "size", "sha1", "mime"]),
            {**LIMIT, "name": "limit", "default": 1},
        ],
    },
    "categoryinfo": {"prefix": "ci", "group": "prop", "parameters": [_p("continue")]},
    "authorship": {"prefix": "au", "group": "prop", "parameters": [_p("continue")]},
    "links": {
        "prefix": "pl",
        "group": "prop",
        "generator": True,
        "parameters": [
            NAMESPACE,
            {**LIMIT, "name": "limit"},
            _p("continue"),
            _multi("titles", []),
            _p("dir", ["ascending", "descending"], default="ascending"),
        ],
    },
    "backlinks": {
        "prefix": "bl",
        "group": "list",
        "generator": True,
        "parameters": [
            _p("title"),
            _p("pageid", "integer"),
            _p("continue"),
            NAMESPACE,
            _p("dir", ["ascending", "descending"], default="ascending"),
            _p("filterredir", ["all", "nonredirects", "redirects"], default="all"),
            {**LIMIT, "name": "limit"},
        ],
    },
    "blocks": {
        "prefix": "bk",
        "group": "list",
        "parameters": [
            _p("start", "timestamp"),
            _p("end", "timestamp"),
            _p("dir", ["newer", "older"], default="older"),
            {**_multi("ids", []), "type": "integer"},
            _multi("users", []),
            {**LIMIT, "name": "limit"},
            _multi("prop", admin.BKPROPS, default="id|user|by|timestamp|expiry|reason"),
            _p("continue"),
        ],
    },
    "logevents": {
        "prefix": "le",
        "group": "list",
        "parameters": [
            _multi("prop", lists.LEPROPS, default="ids|title|type|user|timestamp|comment|details"),
            _p("type", ["", *lists.MEDIAWIKI_LOG_TYPES]),
            _p("action"),
            _p("start", "timestamp"),
            _p("end", "timestamp"),
            _p("dir", ["newer", "older"], default="older"),
            _p("user", "user"),
            _p("title"),
            {**NAMESPACE, "multi": False},
            {**LIMIT, "name": "limit"},
            _p("continue"),
        ],
    },
    "pageprops": {
        "prefix": "pp",
        "group": "prop",
        "parameters": [_p("continue"), _multi("prop", [])],
    },
    "allpages": {
        "prefix": "ap",
        "group": "list",
        "generator": True,
        "parameters": [
            _p("from"),
            _p("continue"),
            _p("to"),
            _p("prefix"),
            {**NAMESPACE, "multi": False, "default": 0},
            _p("filterredir", ["all", "redirects", "nonredirects"], default="all"),
            {**LIMIT, "name": "limit"},
            _p("dir", ["ascending", "descending"], default="ascending"),
        ],
    },
    "prefixsearch": {
        "prefix": "ps",
        "group": "list",
        "generator": True,
        "parameters": [
            _p("search", required=True),
            {**NAMESPACE, "default": "0"},
            {**LIMIT, "name": "limit"},
            _p("offset", "limit", default=0),
        ],
    },
    "categorymembers": {
        "prefix": "cm",
        "group": "list",
        "generator": True,
        "parameters": [
            _p("title"),
            _p("pageid", "integer"),
            _multi(
                "prop",
                ["ids", "title", "sortkey", "sortkeyprefix", "type", "timestamp"],
                default="ids|title",
            ),
            NAMESPACE,
            _multi("type", ["page", "subcat", "file"], default="page|subcat|file"),
            _p("continue"),
            {**LIMIT, "name": "limit"},
            _p("dir", ["asc", "desc", "ascending", "descending", "newer", "older"], default="asc"),
        ],
    },
    "recentchanges": {
        "prefix": "rc",
        "group": "list",
        "generator": True,
        "parameters": [
            _p("start", "timestamp"),
            _p("end", "timestamp"),
            _p("dir", ["newer", "older"], default="older"),
            NAMESPACE,
            _p("user", "user"),
            _p("excludeuser", "user"),
            _multi("prop", lists.RCPROPS, default="title|timestamp|ids"),
            _multi("show", lists.RCSHOW),
            {**LIMIT, "name": "limit"},
            _multi("type", lists.RCTYPES, default="edit|new|log|categorize"),
            _p("toponly", "boolean"),
            _p("title"),
            _p("continue"),
        ],
    },
    "tags": {
        "prefix": "tg",
        "group": "list",
        "parameters": [
            _p("continue"),
            {**LIMIT, "name": "limit"},
            _multi("prop", tags.TGPROPS),
        ],
    },
    "usercontribs": {
        "prefix": "uc",
        "group": "list",
        "parameters": [
            {**LIMIT, "name": "limit"},
            _p("start", "timestamp"),
            _p("end", "timestamp"),
            _p("continue"),
            _multi("user", [], type="user"),
            _multi("userids", [], type="integer"),
            _p("dir", ["newer", "older"], default="older"),
            NAMESPACE,
            _multi("prop", lists.UCPROPS, default="ids|title|timestamp|comment|size|flags"),
            _multi("show", lists.UCSHOW),
        ],
    },
    "search": {
        "prefix": "sr",
        "group": "list",
        "generator": True,
        "parameters": [
            _p("search", required=True),
            {**NAMESPACE, "default": "0"},
            _p("what", ["title", "text", "nearmatch"]),
            _multi("info", ["totalhits", "suggestion", "rewrittenquery"]),
            _multi("prop", lists.SRPROPS, default="size|wordcount|timestamp|snippet"),
            _p("offset", "limit", default=0),
            {**LIMIT, "name": "limit"},
        ],
    },
    "siteinfo": {
        "prefix": "si",
        "group": "meta",
        "parameters": [_multi("prop", meta.SIPROPS, default="general")],
    },
    "userinfo": {"prefix": "ui", "group": "meta", "parameters": [_multi("prop", meta.UIPROPS)]},
    "tokens": {
        "prefix": "",
        "group": "meta",
        "parameters": [
            _multi(
                "type",
                ["createaccount", "csrf", "login", "patrol", "rollback", "userrights", "watch"],
                default="csrf",
            )
        ],
    },
}

ACTION_MODULES: dict[str, dict[str, Any]] = {
    "main": {
        "prefix": "",
        "parameters": [
            _p(
                "action", list(ACTIONS), default="help", submodules={name: name for name in ACTIONS}
            ),
            _p("format", ["json", "jsonfm"], default="jsonfm", submodules={"json": "json"}),
            _p("maxlag", "integer"),
            _p("smaxage", "integer", default=0),
            _p("maxage", "integer", default=0),
            _p("assert", ["anon", "bot", "user"]),
            _p("assertuser", "user"),
            _p("requestid"),
            _p("servedby", "boolean"),
            _p("curtimestamp", "boolean"),
            _p("origin"),
            _p("uselang", default="user"),
            _p("errorformat", ["bc"], default="bc"),
        ],
    },
    "query": {
        "prefix": "",
        "parameters": [
            _multi("prop", PROPS, submodules={name: f"query+{name}" for name in PROPS}),
            _multi("list", LISTS, submodules={name: f"query+{name}" for name in LISTS}),
            _multi("meta", METAS, submodules={name: f"query+{name}" for name in METAS}),
            _p("indexpageids", "boolean"),
            _p("export", "boolean"),
            _p("iwurl", "boolean"),
            _p("continue"),
            _p("rawcontinue", "boolean"),
            _multi("titles", [], type="string"),
            _multi("pageids", [], type="integer"),
            _multi("revids", [], type="integer"),
            _p(
                "generator",
                list(GENERATORS),
                submodules={name: f"query+{name}" for name in GENERATORS},
                submoduleparamprefix="g",
            ),
            _p("redirects", "boolean"),
            _p("converttitles", "boolean"),
        ],
    },
    "login": {
        "prefix": "lg",
        "parameters": [
            _p("name", "user"),
            _p("password", "password"),
            _p("domain"),
            _p("token", tokentype="login"),
        ],
    },
    "clientlogin": {
        "prefix": "login",
        "parameters": [
            _multi("requests", []),
            _p("messageformat", ["html", "none", "raw", "wikitext"]),
            _p("mergerequestfields", "boolean"),
            _p("preservestate", "boolean"),
            _p("returnurl"),
            _p("continue", "boolean"),
            _p("token", required=True, tokentype="login"),
        ],
    },
    "logout": {"prefix": "", "parameters": [TOKEN]},
    "edit": {
        "prefix": "",
        "parameters": [
            _p("title"),
            _p("pageid", "integer"),
            _p("section"),
            _p("sectiontitle"),
            _p("text"),
            _p("summary"),
            _multi("tags", []),
            _p("minor", "boolean"),
            _p("notminor", "boolean"),
            _p("bot", "boolean"),
            _p("baserevid", "integer"),
            _p("basetimestamp", "timestamp"),
            _p("starttimestamp", "timestamp"),
            _p("recreate", "boolean"),
            _p("createonly", "boolean"),
            _p("nocreate", "boolean"),
            _p("watchlist", ["nochange", "preferences", "unwatch", "watch"], default="preferences"),
            _p("md5"),
            _p("prependtext"),
            _p("appendtext"),
            _p("undo", "integer"),
            _p("undoafter", "integer"),
            _p("contentformat", ["text/markdown", "text/x-wiki"]),
            _p("contentmodel", ["markdown", "wikitext"]),
            TOKEN,
        ],
    },
    "move": {
        "prefix": "",
        "parameters": [
            _p("from"),
            _p("fromid", "integer"),
            _p("to", required=True),
            _p("reason"),
            _p("movetalk", "boolean"),
            _p("movesubpages", "boolean"),
            _p("noredirect", "boolean"),
            _p("ignorewarnings", "boolean"),
            TOKEN,
        ],
    },
    "delete": {
        "prefix": "",
        "parameters": [
            _p("title"),
            _p("pageid", "integer"),
            _p("reason"),
            _multi("tags", []),
            TOKEN,
        ],
    },
    "protect": {
        "prefix": "",
        "parameters": [
            _p("title"),
            _p("pageid", "integer"),
            _multi("protections", [], required=True),
            _multi("expiry", [], default="infinite"),
            _p("reason", default=""),
            _multi("tags", []),
            _p("cascade", "boolean"),
            _p("watch", "boolean", deprecated=True),
            _p("watchlist", WATCHLIST, default="preferences"),
            TOKEN,
        ],
    },
    "block": {
        "prefix": "",
        "parameters": [
            _p("user", "user"),
            _p("userid", "integer", deprecated=True),
            _p("expiry", default="never"),
            _p("reason", default=""),
            _p("anononly", "boolean"),
            _p("nocreate", "boolean"),
            _p("autoblock", "boolean"),
            _p("noemail", "boolean"),
            _p("hidename", "boolean"),
            _p("allowusertalk", "boolean"),
            _p("reblock", "boolean"),
            _p("watchuser", "boolean"),
            _multi("tags", []),
            _p("partial", "boolean"),
            TOKEN,
        ],
    },
    "unblock": {
        "prefix": "",
        "parameters": [
            _p("id", "integer"),
            _p("user", "user"),
            _p("userid", "integer", deprecated=True),
            _p("reason", default=""),
            _multi("tags", []),
            TOKEN,
        ],
    },
    "undelete": {
        "prefix": "",
        "parameters": [
            _p("title", required=True),
            _p("reason", default=""),
            _multi("tags", []),
            _multi("timestamps", [], type="timestamp"),
            _multi("fileids", [], type="integer"),
            _p("undeletetalk", "boolean"),
            _p("watchlist", WATCHLIST, default="preferences"),
            TOKEN,
        ],
    },
    "watch": {
        "prefix": "",
        "parameters": [
            _p("title"),
            _p("unwatch", "boolean"),
            _p("continue"),
            _multi("titles", []),
            _multi("pageids", [], type="integer"),
            _multi("revids", [], type="integer"),
            _p("token", required=True, tokentype="watch"),
        ],
    },
    "parse": {
        "prefix": "",
        "parameters": [
            _p("title", default="API"),
            _p("text"),
            _p("summary"),
            _p("page"),
            _p("pageid", "integer"),
            _p("redirects", "boolean"),
            _p("oldid", "integer"),
            _multi("prop", PARSE_PROPS),
            _p("contentmodel", ["markdown", "wikitext"]),
            _p("disablelimitreport", "boolean"),
            _p("disableeditsection", "boolean"),
        ],
    },
    "rollback": {
        "prefix": "",
        "parameters": [
            _p("title"),
            _p("pageid", "integer"),
            _multi("tags", []),
            _p("user", "user", required=True),
            _p("summary", default=""),
            _p("markbot", "boolean"),
            _p("token", required=True, tokentype="rollback"),
        ],
    },
    "patrol": {
        "prefix": "",
        "parameters": [
            _p("rcid", "integer"),
            _p("revid", "integer"),
            _multi("tags", []),
            _p("token", required=True, tokentype="patrol"),
        ],
    },
    "compare": {
        "prefix": "",
        "parameters": [
            _p("fromtitle"),
            _p("fromid", "integer"),
            _p("fromrev", "integer"),
            _p("fromtext"),
            _p("totitle"),
            _p("toid", "integer"),
            _p("torev", "integer"),
            _p("torelative", ["cur", "next", "prev"]),
            _p("totext"),
            _multi("prop", COMPARE_PROPS, default="diff|ids|title"),
        ],
    },
    "tag": {
        "prefix": "",
        "parameters": [
            _multi("rcid", [], type="integer"),
            _multi("revid", [], type="integer"),
            _multi("logid", [], type="integer"),
            _multi("add", []),
            _multi("remove", []),
            _p("reason", default=""),
            _multi("tags", []),
            TOKEN,
        ],
    },
    "managetags": {
        "prefix": "",
        "parameters": [
            _p("operation", ["activate", "create", "deactivate", "delete"], required=True),
            _p("tag", required=True),
            _p("reason"),
            _p("ignorewarnings", "boolean"),
            _multi("tags", []),
            TOKEN,
        ],
    },
    "paraminfo": {
        "prefix": "",
        "parameters": [
            _multi("modules", [], type="string"),
            _multi("helpformat", ["html", "none", "raw", "wikitext"]),
        ],
    },
}


def _describe(ctx: Ctx, path: str) -> dict[str, Any] | None:
    if path.startswith("query+"):
        name = path.split("+", 1)[1]
        spec = QUERY_MODULES.get(name)
        group = spec.get("group") if spec else None
    else:
        name = path
        spec = ACTION_MODULES.get(name)
        group = "action" if name != "main" else None
    if spec is None:
        return None
    module: dict[str, Any] = {
        "name": name,
        "classname": f"peerwork.{name}",
        "path": path,
        "group": group,
        "prefix": spec["prefix"],
        "source": "peerwork",
        "sourcename": "peerwork",
        "licensetag": "AGPL",
        "description": "",
        "helpurls": [],
        "examples": [],
        "templatedparameters": [],
        "dynamicparameters": False,
    }
    if group is None:
        module.pop("group")
    flags = {
        "internal": False,
        "readrights": True,
        "writerights": path in POSTED,
        "mustbeposted": path in POSTED,
        "generator": bool(spec.get("generator")),
    }
    parameters = []
    for index, raw in enumerate(spec["parameters"], start=1):
        parameter = {"index": index, "description": "", **raw}
        parameter.setdefault("required", False)
        parameter.setdefault("multi", False)
        parameter.setdefault("deprecated", False)
        if isinstance(parameter["type"], list) and not parameter["type"]:
            parameter["type"] = "string"
        parameters.append(_booleans(ctx, parameter))
    module.update(_booleans(ctx, flags))
    module["parameters"] = parameters
    return module


def _booleans(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    if ctx.fv2:
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is True:
            out[key] = ""
        elif value is not False:
            out[key] = value
    return out


def action_paraminfo(ctx: Ctx) -> dict[str, Any]:
    paths = list(ctx.params.values("modules"))
    for key in ("querymodules", "mainmodule", "formatmodules"):
        for name in ctx.params.values(key):
            paths.append(f"query+{name}" if key == "querymodules" else name)
    modules = []
    for path in paths:
        if path == "query+*":
            modules += [_describe(ctx, f"query+{name}") for name in QUERY_MODULES]
            continue
        described = _describe(ctx, path)
        if described is None and "+" not in path and path in QUERY_MODULES:
            described = _describe(ctx, f"query+{path}")
        if described is None:
            entry = {"path": path, "name": path.rsplit("+", 1)[-1]}
            ctx.set_flag(entry, "missing", True)
            modules.append(entry)
        else:
            modules.append(described)
    return {"paraminfo": {"helpformat": "none", "modules": modules}}

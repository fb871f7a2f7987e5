"""Parts of the permission table's world, one module per capability with its own table in
docs/permissions/<capability>.md. Each module defines:

- `PREFIXES`: the action prefixes it answers for (`("idea.",)`), a tuple for str.startswith;
- `EXTRA_USERS`: usernames to create besides the base roles, and `ROLE_USERS`: role -> username
  for the role columns its tables add (`{"judge": "judge"}`);
- `build(world)`: create its objects on the base world (space `world.space`, people
  `world.users[name]`, steward `world.users["stew"]`) and keep them as attributes;
- `object_for(world, action)`: the object each of its actions is asked about;
- `values(world)`: route placeholders it fills (`{"idea_id": world.idea.pk}`);
- `API_BODIES`, `WEB_BODIES`, `QUERIES`: as in tests/test_permission_table.py.
"""

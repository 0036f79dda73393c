#!/usr/bin/env python3
"""Cross-checks the op model (lint/sql/op_model) with Alembic itself.

Every case is an op call written as in a migration. Alembic (offline mode, postgresql dialect)
renders it to SQL; `alint_sql_facts` analyzes that SQL; `alint_op_facts` analyzes the same call
(parsed here with the ast module into the Expr shape the linter builds). The two must agree on
each statement's kind, the relations, their lock modes, rewrites and created flags. Both
paths end in the same SQL analysis, so the lock modes are also checked against expectations
written here from PostgreSQL's documentation (EXPECTED_LOCKS).

Usage: alembic_cross_check.py --sql-facts BIN --op-facts BIN
Exit status: 0 agree, 1 disagreements, 77 Alembic is not importable (skipped).
"""

import argparse
import ast
import io
import json
import subprocess
import sys
import tempfile

CASES = [
    'op.create_table("accounts", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("name", sa.String(50), nullable=False))',
    'op.create_table("members", sa.Column("id", sa.BigInteger(), primary_key=True), '
    'sa.Column("org_id", sa.Integer(), sa.ForeignKey("orgs.id")))',
    'op.create_table("links", sa.Column("a", sa.Integer()), '
    'sa.ForeignKeyConstraint(["a"], ["orgs.id"]))',
    'op.drop_table("users")',
    'op.rename_table("users", "people")',
    'op.add_column("users", sa.Column("bio", sa.Text()))',
    'op.add_column("users", sa.Column("bio", sa.Text(), nullable=False))',
    'op.add_column("users", sa.Column("status", sa.String(20), nullable=False, '
    'server_default="active"))',
    'op.add_column("users", sa.Column("seen", sa.DateTime(timezone=True), '
    'server_default=sa.text("now()")))',
    'op.add_column("users", sa.Column("seen", sa.DateTime(), server_default=sa.func.now()))',
    'op.add_column("users", sa.Column("seen", sa.DateTime(timezone=True), '
    'server_default=sa.text("clock_timestamp()")))',
    'op.add_column("users", sa.Column("uid", postgresql.UUID(), '
    'server_default=sa.text("gen_random_uuid()")))',
    'op.add_column("users", sa.Column("flag", sa.Boolean(), server_default=sa.false(), '
    'nullable=False))',
    'op.add_column("users", sa.Column("n", sa.Integer(), sa.Identity(always=True)))',
    'op.add_column("users", sa.Column("n2", sa.Integer(), sa.Computed("age * 2")))',
    'op.add_column("users", sa.Column("org_id", sa.Integer(), sa.ForeignKey("orgs.id")))',
    'op.add_column("users", sa.Column("payload", postgresql.JSONB()), schema="public")',
    'op.drop_column("users", "email")',
    'op.alter_column("users", "email", type_=sa.String(100), existing_type=sa.String(20))',
    'op.alter_column("users", "email", type_=sa.String(10), existing_type=sa.String(20))',
    'op.alter_column("users", "email", type_=sa.Text(), existing_type=sa.String(20))',
    'op.alter_column("users", "score", type_=sa.Numeric(12, 2), '
    'existing_type=sa.Numeric(10, 2))',
    'op.alter_column("users", "age", type_=sa.BigInteger(), existing_type=sa.Integer())',
    'op.alter_column("users", "code", type_=sa.Integer(), existing_type=sa.Text(), '
    'postgresql_using="code::integer")',
    'op.alter_column("users", "email", nullable=False)',
    'op.alter_column("users", "email", nullable=True)',
    'op.alter_column("users", "email", server_default="x")',
    'op.alter_column("users", "email", server_default=None)',
    'op.alter_column("users", "email", new_column_name="mail")',
    'op.alter_column("users", "email", nullable=False, server_default="x", '
    'new_column_name="mail")',
    'op.alter_column("users", "email", comment="the address we write to", '
    'existing_type=sa.Text())',
    'op.alter_column("users", "email", comment=None, existing_type=sa.Text())',
    'op.create_table_comment("users", "people who sign in")',
    'op.drop_table_comment("users")',
    'op.create_index("ix_users_email", "users", ["email"])',
    'op.create_index("ix_users_email", "users", ["email"], unique=True)',
    'op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)',
    'op.create_index("ix_users_email", "users", ["email"], postgresql_where=sa.text("age > 1"))',
    'op.create_index("ix_users_lower", "users", [sa.text("lower(email)")])',
    'op.drop_index("ix_users_email", table_name="users")',
    'op.drop_index("ix_users_email", table_name="users", postgresql_concurrently=True)',
    'op.create_foreign_key("fk_users_org", "users", "orgs", ["org_id"], ["id"])',
    'op.create_check_constraint("ck_age", "users", "age > 0")',
    'op.create_check_constraint("ck_age", "users", sa.text("age > 0"))',
    'op.create_unique_constraint("uq_email", "users", ["email"])',
    'op.create_primary_key("pk_events", "events", ["id"])',
    'op.create_exclude_constraint("ex_span", "rooms", ("room", "="), ("span", "&&"), '
    'using="gist")',
    'op.drop_constraint("uq_email", "users", type_="unique")',
    'op.drop_constraint("fk_users_org", "users", type_="foreignkey")',
    'op.create_table("tickets", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("state", sa.Enum("open", "closed", name="ticket_state"), nullable=False))',
    'op.bulk_insert(sa.table("orgs", sa.column("id", sa.Integer()), sa.column("name", '
    'sa.String())), [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])',
    ('users', 'batch_op.add_column(sa.Column("bio", sa.Text()))'),
    ('users', 'batch_op.drop_column("bio")'),
    ('users', 'batch_op.alter_column("email", nullable=False)'),
    ('users', 'batch_op.create_index("ix_bio", ["bio"])'),
    ('users', 'batch_op.create_foreign_key("fk_org", "orgs", ["org_id"], ["id"])'),
    ('users', 'batch_op.create_unique_constraint("uq_bio", ["bio"])'),
    ('users', 'batch_op.drop_constraint("uq_bio", type_="unique")'),
]


# The locks each case takes, written from PostgreSQL's documentation ("Explicit Locking" and
# the ALTER TABLE / CREATE INDEX / DROP INDEX pages), independent of the linter: both paths
# above end in the same SQL analysis, so only this catches a wrong lock model. Per relation,
# the set of modes the case's statements take (AE ACCESS EXCLUSIVE, SRE SHARE ROW EXCLUSIVE,
# S SHARE, SUE SHARE UPDATE EXCLUSIVE). A new index built is AE on the index itself.
LOCK_NAMES = {"AE": "ACCESS EXCLUSIVE", "SRE": "SHARE ROW EXCLUSIVE", "S": "SHARE",
              "SUE": "SHARE UPDATE EXCLUSIVE", "RE": "ROW EXCLUSIVE"}
EXPECTED_LOCKS = {
    'op.create_table("accounts", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("name", sa.String(50), nullable=False))': {"accounts": "AE"},
    'op.create_table("members", sa.Column("id", sa.BigInteger(), primary_key=True), sa.Column("org_id", sa.Integer(), sa.ForeignKey("orgs.id")))': {"members": "AE", "orgs": "SRE"},
    'op.create_table("links", sa.Column("a", sa.Integer()), sa.ForeignKeyConstraint(["a"], ["orgs.id"]))': {"links": "AE", "orgs": "SRE"},
    'op.drop_table("users")': {"users": "AE"},
    'op.rename_table("users", "people")': {"users": "AE"},
    'op.add_column("users", sa.Column("bio", sa.Text()))': {"users": "AE"},
    'op.add_column("users", sa.Column("bio", sa.Text(), nullable=False))': {"users": "AE"},
    'op.add_column("users", sa.Column("status", sa.String(20), nullable=False, server_default="active"))': {"users": "AE"},
    'op.add_column("users", sa.Column("seen", sa.DateTime(timezone=True), server_default=sa.text("now()")))': {"users": "AE"},
    'op.add_column("users", sa.Column("seen", sa.DateTime(), server_default=sa.func.now()))': {"users": "AE"},
    'op.add_column("users", sa.Column("seen", sa.DateTime(timezone=True), server_default=sa.text("clock_timestamp()")))': {"users": "AE"},
    'op.add_column("users", sa.Column("uid", postgresql.UUID(), server_default=sa.text("gen_random_uuid()")))': {"users": "AE"},
    'op.add_column("users", sa.Column("flag", sa.Boolean(), server_default=sa.false(), nullable=False))': {"users": "AE"},
    'op.add_column("users", sa.Column("n", sa.Integer(), sa.Identity(always=True)))': {"users": "AE"},
    'op.add_column("users", sa.Column("n2", sa.Integer(), sa.Computed("age * 2")))': {"users": "AE"},
    'op.add_column("users", sa.Column("org_id", sa.Integer(), sa.ForeignKey("orgs.id")))': {"orgs": "SRE", "users": "AE+SRE"},
    'op.add_column("users", sa.Column("payload", postgresql.JSONB()), schema="public")': {"users": "AE"},
    'op.drop_column("users", "email")': {"users": "AE"},
    'op.alter_column("users", "email", type_=sa.String(100), existing_type=sa.String(20))': {"users": "AE"},
    'op.alter_column("users", "email", type_=sa.String(10), existing_type=sa.String(20))': {"users": "AE"},
    'op.alter_column("users", "email", type_=sa.Text(), existing_type=sa.String(20))': {"users": "AE"},
    'op.alter_column("users", "score", type_=sa.Numeric(12, 2), existing_type=sa.Numeric(10, 2))': {"users": "AE"},
    'op.alter_column("users", "age", type_=sa.BigInteger(), existing_type=sa.Integer())': {"users": "AE"},
    'op.alter_column("users", "code", type_=sa.Integer(), existing_type=sa.Text(), postgresql_using="code::integer")': {"users": "AE"},
    'op.alter_column("users", "email", nullable=False)': {"users": "AE"},
    'op.alter_column("users", "email", nullable=True)': {"users": "AE"},
    'op.alter_column("users", "email", server_default="x")': {"users": "AE"},
    'op.alter_column("users", "email", server_default=None)': {"users": "AE"},
    'op.alter_column("users", "email", new_column_name="mail")': {"users": "AE"},
    'op.alter_column("users", "email", nullable=False, server_default="x", new_column_name="mail")': {"users": "AE"},
    'op.alter_column("users", "email", comment="the address we write to", existing_type=sa.Text())': {"users": "SUE"},
    'op.alter_column("users", "email", comment=None, existing_type=sa.Text())': {"users": "SUE"},
    'op.create_table_comment("users", "people who sign in")': {"users": "SUE"},
    'op.drop_table_comment("users")': {"users": "SUE"},
    'op.create_index("ix_users_email", "users", ["email"])': {"ix_users_email": "AE", "users": "S"},
    'op.create_index("ix_users_email", "users", ["email"], unique=True)': {"ix_users_email": "AE", "users": "S"},
    'op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)': {"ix_users_email": "AE", "users": "SUE"},
    'op.create_index("ix_users_email", "users", ["email"], postgresql_where=sa.text("age > 1"))': {"ix_users_email": "AE", "users": "S"},
    'op.create_index("ix_users_lower", "users", [sa.text("lower(email)")])': {"ix_users_lower": "AE", "users": "S"},
    'op.drop_index("ix_users_email", table_name="users")': {"ix_users_email": "AE"},
    'op.drop_index("ix_users_email", table_name="users", postgresql_concurrently=True)': {"ix_users_email": "SUE"},
    'op.create_foreign_key("fk_users_org", "users", "orgs", ["org_id"], ["id"])': {"orgs": "SRE", "users": "SRE"},
    'op.create_check_constraint("ck_age", "users", "age > 0")': {"users": "AE"},
    'op.create_check_constraint("ck_age", "users", sa.text("age > 0"))': {"users": "AE"},
    'op.create_unique_constraint("uq_email", "users", ["email"])': {"users": "AE"},
    'op.create_primary_key("pk_events", "events", ["id"])': {"events": "AE"},
    'op.create_exclude_constraint("ex_span", "rooms", ("room", "="), ("span", "&&"), using="gist")': {"rooms": "AE"},
    'op.drop_constraint("uq_email", "users", type_="unique")': {"users": "AE"},
    'op.drop_constraint("fk_users_org", "users", type_="foreignkey")': {"users": "AE"},
    'op.create_table("tickets", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("state", sa.Enum("open", "closed", name="ticket_state"), nullable=False))': {"tickets": "AE"},
    'op.bulk_insert(sa.table("orgs", sa.column("id", sa.Integer()), sa.column("name", sa.String())), [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])': {"orgs": "RE"},
    'batch_op.add_column(sa.Column("bio", sa.Text()))': {"users": "AE"},
    'batch_op.drop_column("bio")': {"users": "AE"},
    'batch_op.alter_column("email", nullable=False)': {"users": "AE"},
    'batch_op.create_index("ix_bio", ["bio"])': {"ix_bio": "AE", "users": "S"},
    'batch_op.create_foreign_key("fk_org", "orgs", ["org_id"], ["id"])': {"orgs": "SRE", "users": "SRE"},
    'batch_op.create_unique_constraint("uq_bio", ["bio"])': {"users": "AE"},
    'batch_op.drop_constraint("uq_bio", type_="unique")': {"users": "AE"},
}

def to_expr(node):
    """A Python AST node -> the linter's Expr shape (lint/python/migration.h)."""
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool):
            return {"kind": "true" if v else "false"}
        if v is None:
            return {"kind": "none"}
        if isinstance(v, str):
            return {"kind": "string", "text": v}
        return {"kind": "number", "text": repr(v)}
    if isinstance(node, ast.Name):
        return {"kind": "name", "text": node.id}
    if isinstance(node, ast.Attribute):
        return {"kind": "attribute", "text": ast.unparse(node)}
    if isinstance(node, ast.Call):
        args = [to_expr(a) for a in node.args] + [to_expr(k.value) for k in node.keywords]
        keywords = [""] * len(node.args) + [k.arg for k in node.keywords]
        return {"kind": "call", "text": ast.unparse(node.func), "args": args,
                "keywords": keywords}
    if isinstance(node, (ast.List, ast.Tuple)):
        return {"kind": "list" if isinstance(node, ast.List) else "tuple",
                "args": [to_expr(e) for e in node.elts]}
    return {"kind": "other", "text": ast.unparse(node)}


def op_call_json(source, batch_table):
    call = ast.parse(source, mode="eval").body
    return {"name": call.func.attr, "batch_table": batch_table,
            "args": [to_expr(a) for a in call.args] + [to_expr(k.value) for k in call.keywords],
            "keywords": [""] * len(call.args) + [k.arg for k in call.keywords]}


def alembic_sql(source, batch_table):
    import sqlalchemy as sa
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from sqlalchemy.dialects import postgresql
    buf = io.StringIO()
    ctx = MigrationContext.configure(dialect_name="postgresql",
                                     opts={"as_sql": True, "output_buffer": buf})
    op = Operations(ctx)
    env = {"op": op, "sa": sa, "postgresql": postgresql}
    if batch_table:
        with op.batch_alter_table(batch_table) as batch_op:
            env["batch_op"] = batch_op
            eval(source, env)
    else:
        eval(source, env)
    return buf.getvalue()


def existing_types(source, batch_table):
    """{"table.column": type} from an alter_column's existing_type=, compiled by SQLAlchemy
    for PostgreSQL: the knowledge the SQL side needs to decide binary coercion."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql
    call = ast.parse(source, mode="eval").body
    kw = {k.arg: k.value for k in call.keywords}
    if call.func.attr != "alter_column" or "existing_type" not in kw:
        return {}
    args = [a.value for a in call.args]
    table, column = (batch_table, args[0]) if batch_table else (args[0], args[1])
    type_ = eval(ast.unparse(kw["existing_type"]), {"sa": sa, "postgresql": postgresql})
    return {f"{table}.{column}": type_.compile(dialect=postgresql.dialect())}


def locks_of(facts):
    """{relation: "AE+SRE"} from a facts JSON: the modes each relation is locked in."""
    short = {v: k for k, v in LOCK_NAMES.items()}
    out = {}
    for f in facts:
        for e in f["effects"]:
            out.setdefault(e["relation"].removeprefix("public."), set()).add(
                short.get(e["lock"], e["lock"]))
    return {r: "+".join(sorted(v)) for r, v in out.items()}


def signature(facts):
    out = []
    for f in facts:
        effects = sorted((e["relation"].removeprefix("public."), e["lock"], e["rewrite"],
                          e["created"]) for e in f["effects"])
        out.append({"kind": f["kind"], "effects": effects,
                    "concurrently": f["concurrently"], "not_valid": f["not_valid"]})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sql-facts", required=True)
    ap.add_argument("--op-facts", required=True)
    args = ap.parse_args()
    try:
        import alembic  # noqa: F401
    except ImportError:
        print("SKIP: alembic is not importable")
        return 77
    passed = failed = 0
    for case in CASES:
        batch_table, source = (case if isinstance(case, tuple) else (None, case))
        rendered = alembic_sql(source, batch_table)
        with tempfile.NamedTemporaryFile("w", suffix=".json") as types:
            json.dump(existing_types(source, batch_table), types)
            types.flush()
            sql_out = json.loads(subprocess.run(
                [args.sql_facts, "--column-types", types.name], input=rendered, text=True,
                capture_output=True, check=True).stdout)
        op_out = json.loads(subprocess.run([args.op_facts], text=True, capture_output=True,
                                           input=json.dumps(op_call_json(source, batch_table)),
                                           check=True).stdout)
        problems = []
        if "error" in sql_out:
            problems.append(f"Alembic's SQL did not parse: {sql_out['error']}")
        if op_out["sql"] is None:
            problems.append("the op model does not model this call")
        want = signature(sql_out["statements"])
        got = signature(op_out["facts"]["statements"])
        if not problems and want != got:
            problems.append("Alembic's SQL: " + json.dumps(want))
            problems.append("op model:      " + json.dumps(got))
        expected = EXPECTED_LOCKS.get(source)
        if expected is None:
            problems.append("no expected locks written for this case (EXPECTED_LOCKS)")
        elif not problems:
            for side, facts in (("Alembic's SQL", sql_out["statements"]),
                                ("op model", op_out["facts"]["statements"])):
                if locks_of(facts) != expected:
                    problems.append(f"{side} locks {json.dumps(locks_of(facts))}, "
                                    f"PostgreSQL's docs say {json.dumps(expected)}")
        if problems:
            failed += 1
            print(f"FAIL {source}\n     Alembic rendered: {rendered.strip()}")
            print(f"     op model rendered: {op_out['sql']}")
            for p in problems:
                print("     " + p)
        else:
            passed += 1
            print(f"ok   {source}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

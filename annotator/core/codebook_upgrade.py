"""Codebook evolution: compare a project's codebook with a new version, plan, then migrate.

``plan_upgrade`` reads the project and says what would change, with the number of coded items
each step touches, before anything is written. ``UpgradeCodebook`` (a Command, one transaction,
undoable in the session; the CLI and the window also take a backup first) then:

- renames span/claim types and enum values (several old values onto one new value = a merge)
  in every coder's and gold's spans and claims, and re-stamps them with the new version;
- never drops anything: a span or claim whose type is removed stays as it is, under the version
  it was made with, and gets a mark; a value that is removed (or no longer valid for a changed
  attribute) leaves the span's attributes and is kept in the mark with the span; fills of a
  removed slot stay and are marked. ``marks`` lists them all (codebook_marks.py reads them).

Annotations keep the codebook version they were made under (``codebook_id``); agreement refuses
to compare items made under incompatible versions unless told to (``version_mix``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection

from annotator.core.codebook import AttributeDef, Codebook
from annotator.core.codebook_marks import Mark, VersionMix, list_marks, version_mix
from annotator.core.commands import Changes, Command, CommandError, Context
from annotator.core.db import get_meta, set_meta
from annotator.core.models import (
    claim_t,
    codebook_t,
    inserted_id,
    mark_t,
    rejected_t,
    slot_fill_t,
    span_t,
    utcnow,
)

__all__ = [
    "UpgradeMap",
    "Mark",
    "Step",
    "UpgradeCodebook",
    "UpgradeError",
    "UpgradePlan",
    "VersionMix",
    "list_marks",
    "parse_map_file",
    "parse_merge",
    "parse_rename",
    "plan_upgrade",
    "version_mix",
]


class UpgradeError(Exception):
    """The upgrade cannot be planned (bad mapping, same version with other content, ...)."""


@dataclass
class UpgradeMap:
    """How old names become new ones. ``values[(type, attribute)][old] = new``."""

    types: dict[str, str] = field(default_factory=dict)
    values: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def add_value(self, type_attr: str, old: str, new: str, where: str) -> None:
        t, dot, a = type_attr.partition(".")
        if not dot or not t or not a or not old or not new:
            raise UpgradeError(f"{where}: expected TYPE.ATTRIBUTE:OLD=NEW")
        known = self.values.setdefault((t, a), {})
        if known.get(old, new) != new:
            raise UpgradeError(f"{where}: {t}.{a} value '{old}' is mapped twice")
        known[old] = new

    def value(self, type_id: str, attr: str, old: str) -> str:
        return self.values.get((type_id, attr), {}).get(old, old)


def parse_rename(specs: Iterable[str], mapping: UpgradeMap | None = None) -> UpgradeMap:
    """``type.attr:old=new`` renames an enum value; ``old=new`` renames a span or claim type."""
    m = mapping or UpgradeMap()
    for spec in specs:
        left, eq, new = spec.rpartition("=")
        if not eq:
            raise UpgradeError(f"--rename {spec}: expected TYPE.ATTRIBUTE:OLD=NEW or OLD_TYPE=NEW_TYPE")
        if ":" in left:
            ta, _, old = left.partition(":")
            m.add_value(ta, old, new, f"--rename {spec}")
        else:
            if not left or not new or "." in left:
                raise UpgradeError(f"--rename {spec}: expected OLD_TYPE=NEW_TYPE")
            m.types[left] = new
    return m


def parse_merge(specs: Iterable[str], mapping: UpgradeMap | None = None) -> UpgradeMap:
    """``type.attr:a,b=c`` merges the values a and b into c."""
    m = mapping or UpgradeMap()
    for spec in specs:
        left, eq, new = spec.rpartition("=")
        ta, colon, olds = left.partition(":")
        if not eq or not colon or not olds:
            raise UpgradeError(f"--merge {spec}: expected TYPE.ATTRIBUTE:OLD1,OLD2=NEW")
        for old in olds.split(","):
            m.add_value(ta, old.strip(), new, f"--merge {spec}")
    return m


def parse_map_file(path: Path, mapping: UpgradeMap | None = None) -> UpgradeMap:
    """A JSON mapping file: ``{"types": {"old": "new"}, "values": {"type.attr": {"old": "new"}}}``."""
    m = mapping or UpgradeMap()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UpgradeError(f"{path}: cannot read the mapping file ({exc.strerror})") from None
    except ValueError as exc:
        raise UpgradeError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or set(data) - {"types", "values"}:
        raise UpgradeError(f"{path}: $: expected an object with 'types' and/or 'values'")
    types = data.get("types", {})
    if not isinstance(types, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k and v for k, v in types.items()
    ):
        raise UpgradeError(f"{path}: $.types: expected {{\"old type\": \"new type\"}}")
    m.types.update(types)
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise UpgradeError(f"{path}: $.values: expected {{\"type.attribute\": {{\"old\": \"new\"}}}}")
    for ta, pairs in values.items():
        if not isinstance(pairs, dict):
            raise UpgradeError(f"{path}: $.values.{ta}: expected {{\"old\": \"new\"}}")
        for old, new in pairs.items():
            if not isinstance(new, str):
                raise UpgradeError(f"{path}: $.values.{ta}.{old}: expected a string")
            m.add_value(ta, old, new, f"{path}: $.values.{ta}.{old}")
    return m


@dataclass(frozen=True)
class Step:
    """One line of the plan. ``items`` = coded spans/claims/fills it touches in the project."""

    action: str  # added, removed, renamed, merged, level, type, slot, note
    what: str  # "span type actor", "actor.actor_type = rebel", ...
    detail: str
    items: int = 0
    breaking: bool = False  # items made under the old version cannot be compared with new ones

    def line(self) -> str:
        n = f" ({self.items} coded item(s))" if self.items else ""
        return f"  {self.action:<8} {self.what}: {self.detail}{n}"


@dataclass
class UpgradePlan:
    old: Codebook
    new: Codebook
    mapping: UpgradeMap
    steps: list[Step]

    @property
    def changes_data(self) -> bool:
        return any(s.items for s in self.steps if s.action != "added")

    @property
    def breaking(self) -> bool:
        return any(s.breaking for s in self.steps)

    @property
    def marked(self) -> int:
        return sum(s.items for s in self.steps if s.action == "removed")

    def text(self) -> str:
        head = f"Codebook upgrade {self.old.ref} -> {self.new.ref}"
        if not self.steps:
            return head + ": nothing changes"
        lines = [head + f": {len(self.steps)} change(s)"]
        order = ["added", "renamed", "merged", "removed", "level", "type", "slot", "note"]
        for action in order:
            lines += [s.line() for s in self.steps if s.action == action]
        if self.marked:
            lines.append(
                f"{self.marked} coded item(s) lose their type or a value: they are kept and marked "
                "(list them with `annotator codebook marks`), never dropped"
            )
        return "\n".join(lines)


def _attr_map(defs: Sequence[AttributeDef]) -> dict[str, AttributeDef]:
    return {a.id: a for a in defs}


def _value_counts(conn: Connection, table: Any, type_id: str, attr: str) -> Counter[str]:
    """How often each value of one attribute occurs (every coder, gold included)."""
    counts: Counter[str] = Counter()
    for (raw,) in conn.execute(select(table.c.attributes).where(table.c.type == type_id)):
        attrs = raw if isinstance(raw, dict) else json.loads(raw or "{}")
        if attr in attrs and attrs[attr] is not None:
            v = attrs[attr]
            counts[v if isinstance(v, str) else json.dumps(v, sort_keys=True)] += 1
    return counts


def _type_counts(conn: Connection, table: Any) -> Counter[str]:
    return Counter(
        {str(t): int(n) for t, n in conn.execute(select(table.c.type, func.count()).group_by(table.c.type))}
    )


def plan_upgrade(conn: Connection, old: Codebook, new: Codebook, mapping: UpgradeMap | None = None) -> UpgradePlan:
    """Compare ``old`` (the project's) with ``new`` and count what each change touches."""
    m = mapping or UpgradeMap()
    if old.ref == new.ref and old.raw != new.raw:
        raise UpgradeError(
            f"the new codebook is also {new.ref} but its content differs from the project's: "
            "give it a higher version number"
        )
    if new.id == old.id and new.version < old.version:
        raise UpgradeError(f"{new.ref} is older than the project's {old.ref}")
    steps: list[Step] = []
    _kind_steps(conn, "span", old.span_types, new.span_types, m, span_t, steps)
    _kind_steps(conn, "claim", old.claim_types, new.claim_types, m, claim_t, steps)
    if new.id != old.id:
        steps.append(Step("note", "codebook id", f"{old.id} becomes {new.id}"))
    return UpgradePlan(old, new, m, steps)


def _kind_steps(
    conn: Connection, kind: str, old_types: Sequence[Any], new_types: Sequence[Any],
    m: UpgradeMap, table: Any, steps: list[Step],
) -> None:
    old_by = {t.id: t for t in old_types}
    new_by = {t.id: t for t in new_types}
    counts = _type_counts(conn, table)
    for src, dst in m.types.items():
        if src in old_by and dst not in new_by:
            raise UpgradeError(f"rename {src}={dst}: the new codebook has no {kind} type '{dst}'")
    for (t, a), pairs in m.values.items():
        ot = old_by.get(t)
        if ot is None:
            continue
        nt = new_by.get(m.types.get(t, t))
        nad = nt.attribute(a) if nt is not None else None
        if ot.attribute(a) is None:
            raise UpgradeError(f"{t}.{a}: the project's {kind} type '{t}' has no attribute '{a}'")
        if nad is None or nad.type != "enum":
            raise UpgradeError(f"{t}.{a}: the new codebook has no enum attribute '{a}' on '{m.types.get(t, t)}'")
        for o, n in pairs.items():
            if o not in (ot.attribute(a).values or ()):
                raise UpgradeError(f"{t}.{a}: '{o}' is not a value in the project's codebook")
            if n not in (nad.values or ()):
                raise UpgradeError(f"{t}.{a}: '{n}' is not a value in the new codebook")
    targets = {m.types.get(t, t) for t in old_by}
    for t in new_types:
        if t.id not in targets:
            steps.append(Step("added", f"{kind} type {t.id}", f"new ({t.label})"))
    for ot in old_types:
        tid = m.types.get(ot.id, ot.id)
        nt = new_by.get(tid)
        n_items = counts.get(ot.id, 0)
        if nt is None:
            steps.append(Step("removed", f"{kind} type {ot.id}", f"the {kind}s stay, under the old "
                              "version, marked", n_items, breaking=bool(n_items)))
            continue
        if tid != ot.id:
            steps.append(Step("renamed", f"{kind} type {ot.id}", f"becomes {tid}", n_items))
        _attribute_steps(conn, kind, ot, nt, m, table, steps)
        if kind == "claim":
            _slot_steps(conn, ot, nt, m, steps)


def _attribute_steps(
    conn: Connection, kind: str, ot: Any, nt: Any, m: UpgradeMap, table: Any, steps: list[Step],
) -> None:
    olds, news = _attr_map(ot.attributes), _attr_map(nt.attributes)
    for a in nt.attributes:
        if a.id not in olds:
            req = " (required: existing items lack it)" if a.required else ""
            steps.append(Step("added", f"{nt.id}.{a.id}", f"new {a.type} attribute{req}"))
    for oa in ot.attributes:
        where = f"{ot.id}.{oa.id}"
        na = news.get(oa.id)
        values = _value_counts(conn, table, ot.id, oa.id)
        used = sum(values.values())
        if na is None:
            steps.append(Step("removed", where, "attribute removed: the values move into the "
                              "marks, the items stay", used, breaking=bool(used)))
            continue
        if na.level != oa.level:
            steps.append(Step("level", where, f"{oa.level} -> {na.level} (agreement measures "
                              "it differently)", used, breaking=bool(used)))
        if na.type != oa.type:
            steps.append(Step("type", where, f"{oa.type} -> {na.type}: values that are not valid "
                              "any more move into the marks", used, breaking=bool(used)))
            continue
        if oa.type != "enum":
            continue
        mapped = m.values.get((ot.id, oa.id), {})
        into: dict[str, list[str]] = {}
        for v in oa.values or ():
            into.setdefault(mapped.get(v, v), []).append(v)
        for target, sources in into.items():
            moved = [s for s in sources if s != target]
            if target not in (na.values or ()):
                for s in sources:
                    steps.append(Step("removed", f"{where} = {s}", "value removed: the items "
                                      "stay, the value moves into the marks", values.get(s, 0),
                                      breaking=bool(values.get(s, 0))))
            elif len(sources) > 1:
                steps.append(Step("merged", f"{where} = {', '.join(sorted(sources))}",
                                  f"become {target}", sum(values.get(s, 0) for s in moved),
                                  breaking=bool(sum(values.get(s, 0) for s in moved))))
            elif moved:
                steps.append(Step("renamed", f"{where} = {moved[0]}", f"becomes {target}",
                                  values.get(moved[0], 0)))
        targets = set(into)
        for v in na.values or ():
            if v not in targets:
                steps.append(Step("added", f"{where} = {v}", "new value"))
        if list(into) != [v for v in (na.values or ()) if v in targets] and oa.level == "ordinal":
            steps.append(Step("level", where, "the order of the ordinal values changed", used,
                              breaking=bool(used)))


def _slot_steps(conn: Connection, ot: Any, nt: Any, m: UpgradeMap, steps: list[Step]) -> None:
    news = {s.id: s for s in nt.slots}
    olds = {s.id for s in ot.slots}
    for s in nt.slots:
        if s.id not in olds:
            steps.append(Step("added", f"slot {nt.id}.{s.id}", f"new slot (accepts {', '.join(s.accepts)})"))
    for os_ in ot.slots:
        n = int(conn.execute(
            select(func.count()).select_from(slot_fill_t.join(claim_t))
            .where(claim_t.c.type == ot.id, slot_fill_t.c.slot == os_.id)
        ).scalar_one())
        ns = news.get(os_.id)
        if ns is None:
            steps.append(Step("removed", f"slot {ot.id}.{os_.id}", "the fills stay, marked", n,
                              breaking=bool(n)))
            continue
        accepted = {m.types.get(a, a) for a in os_.accepts}
        lost = accepted - set(ns.accepts)
        if lost:
            steps.append(Step("slot", f"slot {ot.id}.{os_.id}", "no longer accepts "
                              f"{', '.join(sorted(lost))}: such fills stay, marked", n))


# ---------------------------------------------------------------- applying


class UpgradeCodebook(Command):
    """Migrate every coder's and gold's annotations to ``plan.new`` in one transaction."""

    reviewer_action = True

    changes_codebook = True

    def __init__(self, plan: UpgradePlan) -> None:
        self.plan = plan
        self.label = f"Upgrade codebook to {plan.new.ref}"
        self._old_rows: dict[str, list[dict[str, Any]]] = {}
        self._marks: list[int] = []
        self._old_meta: str | None = None
        self._new_row: int | None = None
        self._created_row = False
        self.marked = 0
        self.migrated = 0

    def do(self, conn: Connection, ctx: Context) -> Changes:
        plan, m = self.plan, self.plan.mapping
        if ctx.codebook.ref != plan.old.ref:
            raise CommandError(f"the project's codebook is {ctx.codebook.ref}, not {plan.old.ref}")
        self._old_meta = get_meta(conn, "codebook_id")
        found = conn.execute(select(codebook_t.c.id).where(
            codebook_t.c.name == plan.new.id, codebook_t.c.version == plan.new.version)).first()
        if found is None:
            self._new_row = inserted_id(conn.execute(codebook_t.insert().values(
                name=plan.new.id, version=plan.new.version, content=plan.new.to_json(),
                added_at=utcnow())))
            self._created_row = True
        else:
            self._new_row = int(found[0])
        new_id = self._new_row
        changes = Changes(self.label, structure=True)
        now = utcnow()
        marks: list[dict[str, Any]] = []
        for kind, table, old_types, new_types in (
            ("span", span_t, plan.old.span_types, plan.new.span_types),
            ("claim", claim_t, plan.old.claim_types, plan.new.claim_types),
        ):
            new_by = {t.id: t for t in new_types}
            old_by = {t.id: t for t in old_types}
            saved = self._old_rows.setdefault(kind, [])
            updates = []
            rows = conn.execute(select(table.c.id, table.c.report_id, table.c.type,
                                       table.c.attributes, table.c.codebook_id, table.c.version))
            for rid, report_id, type_id, raw, cb, version in rows:
                attrs = raw if isinstance(raw, dict) else json.loads(raw or "{}")
                ot = old_by.get(type_id)
                nt = new_by.get(m.types.get(type_id, type_id))
                if ot is None:
                    continue  # already an orphan of an earlier upgrade: left as it is
                if nt is None:
                    marks.append(_mark(kind, rid, new_id, f"{kind} type '{type_id}' is not in "
                                       f"{plan.new.ref}", {}, now))
                    continue
                new_attrs, lost = _migrate_attributes(type_id, attrs, nt, m)
                if lost:
                    marks.append(_mark(kind, rid, new_id, "values not in " + plan.new.ref, lost, now))
                if nt.id != type_id or new_attrs != attrs or cb != new_id:
                    saved.append({"b_id": rid, "type": type_id, "attributes": attrs, "codebook_id": cb,
                                  "b_version": int(version) + 1})
                    updates.append({"b_id": rid, "type": nt.id, "attributes": new_attrs,
                                    "codebook_id": new_id})
                    changes.reports.add(int(report_id))
                    (changes.spans if kind == "span" else changes.claims).add(int(rid))
            if updates:
                # row versions go up like any edit's, so a window holding an older one is refused
                conn.execute(table.update().where(table.c.id == bindparam("b_id"))
                             .values(type=bindparam("type"), attributes=bindparam("attributes"),
                                     codebook_id=bindparam("codebook_id"),
                                     version=table.c.version + 1), updates)
            self.migrated += len(updates)
        marks += self._slot_marks(conn, new_id, now)
        for src, dst in m.types.items():
            conn.execute(rejected_t.update().where(rejected_t.c.type == src).values(type=dst))
        if marks:
            for row in marks:
                self._marks.append(inserted_id(conn.execute(mark_t.insert().values(**row))))
        self.marked = len(marks)
        set_meta(conn, "codebook_id", str(new_id))
        return changes

    def _slot_marks(self, conn: Connection, new_id: int, now: Any) -> list[dict[str, Any]]:
        plan, m = self.plan, self.plan.mapping
        new_by = {t.id: t for t in plan.new.claim_types}
        out = []
        q = (select(slot_fill_t.c.id, slot_fill_t.c.slot, claim_t.c.type, span_t.c.type)
             .select_from(slot_fill_t.join(claim_t).outerjoin(span_t, slot_fill_t.c.span_id == span_t.c.id)))
        for fid, slot, claim_type, span_type in conn.execute(q):
            # claim_type is already the new name for migrated claims
            nt = new_by.get(claim_type)
            if nt is None:
                continue  # the claim itself is marked
            sd = nt.slot(slot)
            if sd is None:
                out.append(_mark("slot_fill", fid, new_id, f"slot '{slot}' is not in {claim_type} "
                                 f"of {plan.new.ref}", {}, now))
            elif span_type is not None and m.types.get(span_type, span_type) not in sd.accepts:
                out.append(_mark("slot_fill", fid, new_id, f"slot '{slot}' no longer accepts "
                                 f"{span_type}", {}, now))
        return out

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        changes = Changes(f"Undo {self.label}", structure=True)
        for kind, table in (("span", span_t), ("claim", claim_t)):
            saved = self._old_rows.get(kind, [])
            expected = {r["b_id"]: r["b_version"] for r in saved}
            changed = [i for i, v in conn.execute(select(table.c.id, table.c.version)
                                                  .where(table.c.id.in_(list(expected))))
                       if expected.get(i) != v] if expected else []
            if changed:
                raise CommandError(
                    f"{len(changed)} {kind}(s) were edited since the upgrade; undoing it would "
                    "overwrite that work. Restore the backup taken before the upgrade instead")
        if self._marks:
            conn.execute(mark_t.delete().where(mark_t.c.id.in_(self._marks)))
        for kind, table in (("span", span_t), ("claim", claim_t)):
            saved = self._old_rows.get(kind, [])
            if saved:
                conn.execute(table.update().where(table.c.id == bindparam("b_id"))
                             .values(type=bindparam("type"), attributes=bindparam("attributes"),
                                     codebook_id=bindparam("codebook_id"),
                                     version=table.c.version + 1), saved)
        for src, dst in self.plan.mapping.types.items():
            conn.execute(rejected_t.update().where(rejected_t.c.type == dst).values(type=src))
        if self._old_meta is not None:
            set_meta(conn, "codebook_id", self._old_meta)
        if self._created_row and self._new_row is not None:
            conn.execute(codebook_t.delete().where(codebook_t.c.id == self._new_row))
        self._old_rows, self._marks, self.migrated, self.marked = {}, [], 0, 0
        self._created_row = False
        return changes


def _mark(kind: str, item_id: int, codebook_id: int, reason: str, kept: Mapping[str, Any], now: Any) -> dict[str, Any]:
    return {"kind": kind, "item_id": int(item_id), "codebook_id": codebook_id, "reason": reason,
            "kept": dict(kept), "created_at": now}


def _migrate_attributes(type_id: str, attrs: Mapping[str, Any], nt: Any, m: UpgradeMap) -> tuple[dict[str, Any], dict[str, Any]]:
    """(attributes valid in the new type, the old values that had to leave)."""
    out: dict[str, Any] = {}
    lost: dict[str, Any] = {}
    for key, value in attrs.items():
        ad = nt.attribute(key)
        if ad is None:
            lost[key] = value
            continue
        if ad.type == "enum" and isinstance(value, str):
            value = m.value(type_id, key, value)
        if value is not None and ad.check(value) is not None:
            lost[key] = attrs[key]
            continue
        out[key] = value
    return out, lost

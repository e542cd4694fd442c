/**
 * The migration graph (Django's `MigrationGraph`): migrations as nodes keyed
 * `app.name`, their dependencies as edges, and the plans that apply them in
 * dependency order (forwards) or unapply them and their dependents
 * (backwards).
 */
import { ReinhardtError } from '../../core/exceptions.js';

/** A migration's key: `[appLabel, name]`. */
export type MigrationKey = readonly [app: string, name: string];

/** A dependency that names a migration the graph does not have. */
export class NodeNotFoundError extends ReinhardtError {
  override readonly code: string = 'node_not_found';
}

/** Migrations that depend on each other in a circle. */
export class CircularDependencyError extends ReinhardtError {
  override readonly code: string = 'circular_dependency';
}

export const keyOf = ([app, name]: MigrationKey): string => `${app}.${name}`;

interface Node {
  readonly key: MigrationKey;
  readonly parents: Set<string>;
  readonly children: Set<string>;
}

export class MigrationGraph {
  private readonly nodes = new Map<string, Node>();

  /** Adds a migration. */
  addNode(key: MigrationKey): void {
    const k = keyOf(key);
    if (!this.nodes.has(k)) this.nodes.set(k, { key, parents: new Set(), children: new Set() });
  }

  /** `child` depends on `parent`; both must have been added (`origin` names the migration for the message). */
  addDependency(origin: string, child: MigrationKey, parent: MigrationKey): void {
    const c = this.nodes.get(keyOf(child));
    if (!c)
      throw new NodeNotFoundError(
        `Migration ${origin} dependencies reference nonexistent child node ${JSON.stringify(child)}`,
      );
    const p = this.nodes.get(keyOf(parent));
    if (!p)
      throw new NodeNotFoundError(
        `Migration ${origin} dependencies reference nonexistent parent node ${JSON.stringify(parent)}`,
      );
    c.parents.add(keyOf(parent));
    p.children.add(keyOf(child));
  }

  /** Whether the graph has this migration. */
  has(key: MigrationKey): boolean {
    return this.nodes.has(keyOf(key));
  }

  private node(key: MigrationKey): Node {
    const n = this.nodes.get(keyOf(key));
    if (!n) throw new NodeNotFoundError(`Node ${JSON.stringify(key)} not a valid node`);
    return n;
  }

  /** Every migration, in a stable order. */
  keys(): MigrationKey[] {
    return [...this.nodes.values()].map((n) => n.key).sort(compareKeys);
  }

  /** The migrations of `app` (or of every app) no other migration of the same app depends on. */
  leafNodes(app?: string): MigrationKey[] {
    return this.ends(app, 'children');
  }

  /** The migrations of `app` (or of every app) that depend on no migration of the same app. */
  rootNodes(app?: string): MigrationKey[] {
    return this.ends(app, 'parents');
  }

  /** The nodes with no neighbour of their own app in `direction`. */
  private ends(app: string | undefined, direction: 'parents' | 'children'): MigrationKey[] {
    return [...this.nodes.values()]
      .filter((n) => app === undefined || n.key[0] === app)
      .filter((n) => ![...n[direction]].some((c) => this.nodes.get(c)!.key[0] === n.key[0]))
      .map((n) => n.key)
      .sort(compareKeys);
  }

  /**
   * `target` and everything it depends on, dependencies first (the order
   * `migrate` applies them in). Ties break by key, so the plan is stable.
   */
  forwardsPlan(target: MigrationKey): MigrationKey[] {
    return this.walk(this.node(target), 'parents');
  }

  /** `target` and everything that depends on it, dependents first (the order `migrate` unapplies them in). */
  backwardsPlan(target: MigrationKey): MigrationKey[] {
    return this.walk(this.node(target), 'children');
  }

  private walk(start: Node, direction: 'parents' | 'children'): MigrationKey[] {
    const done = new Set<string>();
    const onPath = new Set<string>();
    const out: MigrationKey[] = [];
    const visit = (node: Node, path: string[]): void => {
      const k = keyOf(node.key);
      if (done.has(k)) return;
      if (onPath.has(k)) {
        const cycle = [...path.slice(path.indexOf(k)), k];
        throw new CircularDependencyError(cycle.join(', '));
      }
      onPath.add(k);
      const next = [...node[direction]].map((c) => this.nodes.get(c)!);
      next.sort((a, b) => compareKeys(a.key, b.key));
      for (const n of next) visit(n, [...path, k]);
      onPath.delete(k);
      done.add(k);
      out.push(node.key);
    };
    visit(start, []);
    return out;
  }

  /**
   * Puts `replacement` (a squashed migration) in place of the migrations it
   * replaces: dependencies on any of them now point at it, and it depends on
   * what they depended on outside the set (Django's `remove_replaced_nodes`).
   */
  removeReplacedNodes(replacement: MigrationKey, replaced: readonly MigrationKey[]): void {
    const rk = keyOf(replacement);
    const r = this.nodes.get(rk);
    if (!r)
      throw new NodeNotFoundError(
        `Unable to find replacement node ${JSON.stringify(replacement)}. It was either never added to the migration graph, or has been removed.`,
      );
    const set = new Set(replaced.map(keyOf));
    for (const k of set) {
      const node = this.nodes.get(k);
      if (!node) continue;
      for (const child of node.children) {
        const c = this.nodes.get(child)!;
        c.parents.delete(k);
        if (!set.has(child) && child !== rk) {
          c.parents.add(rk);
          r.children.add(child);
        }
      }
      for (const parent of node.parents) {
        const p = this.nodes.get(parent)!;
        p.children.delete(k);
        if (!set.has(parent) && parent !== rk) {
          p.children.add(rk);
          r.parents.add(parent);
        }
      }
      this.nodes.delete(k);
    }
  }

  /**
   * Drops `replacement` and keeps the migrations it replaces: what depended on
   * it now depends on the last of them (Django's `remove_replacement_node`).
   */
  removeReplacementNode(replacement: MigrationKey, replaced: readonly MigrationKey[]): void {
    const rk = keyOf(replacement);
    const r = this.nodes.get(rk);
    if (!r)
      throw new NodeNotFoundError(
        `Unable to remove replacement node ${JSON.stringify(replacement)}. It was either never added to the migration graph, or has been removed already.`,
      );
    const lastKey = replaced[replaced.length - 1];
    const last = lastKey ? this.nodes.get(keyOf(lastKey)) : undefined;
    const set = new Set(replaced.map(keyOf));
    for (const child of r.children) {
      const c = this.nodes.get(child)!;
      c.parents.delete(rk);
      if (last && !set.has(child)) {
        c.parents.add(keyOf(last.key));
        last.children.add(child);
      }
    }
    for (const parent of r.parents) this.nodes.get(parent)!.children.delete(rk);
    this.nodes.delete(rk);
  }

  /** The migrations that depend directly on this one. */
  childrenOf(key: MigrationKey): MigrationKey[] {
    return [...this.node(key).children].map((c) => this.nodes.get(c)!.key).sort(compareKeys);
  }

  /** The direct dependencies of a migration. */
  parentsOf(key: MigrationKey): MigrationKey[] {
    return [...this.node(key).parents].map((p) => this.nodes.get(p)!.key).sort(compareKeys);
  }

  /** Raises CircularDependencyError when any cycle exists. */
  ensureNotCyclic(): void {
    for (const key of this.keys()) this.forwardsPlan(key);
  }
}

function compareKeys(a: MigrationKey, b: MigrationKey): number {
  return a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1;
}

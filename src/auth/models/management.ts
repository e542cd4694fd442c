/**
 * What the auth app creates after `migrate` (Django's `create_permissions`):
 * the default permissions of every model of each migrated app.
 */
import { ContentType } from '../../contenttypes/models.js';
import { connections } from '../../db/connections.js';
import { apps } from '../../db/models/registry.js';
import type { Options } from '../../db/models/options.js';
import { postMigrate } from '../../db/models/signals.js';
import { DEFAULT_PERMISSIONS, Permission } from './permissions.js';

/**
 * Creates the missing `add`/`change`/`delete`/`view` permissions (and
 * content types) of the models of `appLabel`; returns how many were created.
 *
 * @example
 * ```ts
 * await createPermissions('library');
 * ```
 */
export async function createPermissions(appLabel: string, using = 'default'): Promise<number> {
  const connection = connections.get(using);
  const tables = new Set((await connection.introspection.tableNames()).map((t) => t.toLowerCase()));
  // The auth and contenttypes apps are not migrated (yet) on this database: nothing to do.
  if (!tables.has('auth_permission') || !tables.has('django_content_type')) return 0;
  const throughModels = new Set<unknown>();
  for (const m of apps.getModels())
    for (const f of m._meta.manyToMany) if (!f.through) throughModels.add(f.throughModel);
  let created = 0;
  for (const model of apps.getModels(appLabel)) {
    if (throughModels.has(model)) continue;
    const opts: Options = model._meta;
    const ct = await ContentType.objects.getForModel(model, using);
    const existing = new Set(
      (
        await Permission.objects
          .using(using)
          .filter({ contentType: ct })
          .valuesList('codename', { flat: true })
      ).map(String),
    );
    for (const action of DEFAULT_PERMISSIONS) {
      const codename = `${action}_${opts.modelName}`;
      if (existing.has(codename)) continue;
      await Permission.objects
        .using(using)
        .create({ name: `Can ${action} ${opts.verboseName}`, codename, contentType: ct });
      created++;
    }
  }
  return created;
}

postMigrate.connect(
  async ({ appConfig, using }) => {
    const label = (appConfig as { label?: string } | null)?.label;
    if (label) await createPermissions(label, using);
  },
  { dispatchUid: 'reinhardt.auth.createPermissions' },
);

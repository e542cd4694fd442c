/**
 * Permissions and groups (Django's `Permission` and `Group`): per-model
 * permissions `add`, `change`, `delete`, `view`, created after `migrate`.
 */
import type { Manager } from '../../db/models/index.js';
import { CASCADE, CharField, ForeignKey, ManyToManyField, Model } from '../../db/models/index.js';
import { ContentType } from '../../contenttypes/models.js';

export class Permission extends Model(
  {
    name: CharField({ maxLength: 255 }),
    contentType: ForeignKey(() => ContentType, { onDelete: CASCADE }),
    codename: CharField({ maxLength: 100 }),
  },
  {
    appLabel: 'auth',
    dbTable: 'auth_permission',
    uniqueTogether: [['contentType', 'codename']],
    ordering: ['contentType__appLabel', 'contentType__model', 'codename'],
    verboseName: 'permission',
  },
) {
  declare static objects: Manager<Permission>;
}

export class Group extends Model(
  {
    name: CharField({ maxLength: 150, unique: true }),
    permissions: ManyToManyField(() => Permission, { blank: true }),
  },
  { appLabel: 'auth', dbTable: 'auth_group', verboseName: 'group' },
) {
  declare static objects: Manager<Group>;
  override toString(): string {
    return this.name;
  }
}

/** Django's default permissions of every model. */
export const DEFAULT_PERMISSIONS = ['add', 'change', 'delete', 'view'] as const;

/**
 * Users (Django's `AbstractBaseUser`, `PermissionsMixin`, `AbstractUser`,
 * `User`, `AnonymousUser` and `UserManager`). `User` is the default of the
 * swappable `authUserModel` setting; a project's own user model extends
 * `AbstractUser` (or `AbstractBaseUser`) instead.
 */
import {
  BooleanField,
  CharField,
  DateTimeField,
  EmailField,
  ManyToManyField,
  Manager,
  Model,
  now,
  type SaveOptions,
} from '../../db/models/index.js';
import { ValueError } from '../../core/exceptions.js';
import { checkPassword, isPasswordUsable, makePassword } from '../hashers/index.js';
import { passwordChanged } from '../password-validation/index.js';
import { Group, Permission } from './permissions.js';

/** The permission strings (`app.codename`) a user has, computed once per instance. */
const PERMISSION_CACHE = Symbol('reinhardt.auth.permissions');

/** Creates users with hashed passwords (Django's `UserManager`). */
export class UserManager<U extends AbstractUser = AbstractUser> extends Manager<U> {
  /** `Local@Domain.COM` → `Local@domain.com`, as Django's `normalize_email`. */
  static normalizeEmail(email: string | null | undefined): string {
    const value = email ?? '';
    const at = value.lastIndexOf('@');
    return at === -1 ? value : `${value.slice(0, at)}@${value.slice(at + 1).toLowerCase()}`;
  }

  /**
   * @example
   * ```ts
   * const ann = await User.objects.createUser('ann', { email: 'ann@example.com', password: 's3cret!' });
   * ```
   */
  async createUser(
    username: string,
    fields: Record<string, unknown> & { password?: string | null; email?: string } = {},
    options: { using?: string } = {},
  ): Promise<U> {
    if (!username) throw new ValueError('The given username must be set');
    const { password, ...rest } = fields;
    const user = new (this.model as unknown as new (v: Record<string, unknown>) => U)({
      isStaff: false,
      isSuperuser: false,
      ...rest,
      username,
      email: UserManager.normalizeEmail(fields.email),
    });
    await user.setPassword(password ?? null);
    await user.save(options.using ? { using: options.using } : {});
    return user;
  }

  /** A user with `isStaff` and `isSuperuser` (Django's checks and messages). */
  async createSuperuser(
    username: string,
    fields: Record<string, unknown> & { password?: string | null; email?: string } = {},
    options: { using?: string } = {},
  ): Promise<U> {
    const values = { isStaff: true, isSuperuser: true, ...fields };
    if (values.isStaff !== true) throw new ValueError('Superuser must have is_staff=True.');
    if (values.isSuperuser !== true) throw new ValueError('Superuser must have is_superuser=True.');
    return this.createUser(username, values, options);
  }

  /** The user whose `USERNAME_FIELD` is `username` (on `using`, default the router's). */
  getByNaturalKey(username: string, using?: string): Promise<U> {
    const field = (this.model as unknown as { USERNAME_FIELD: string }).USERNAME_FIELD;
    const qs = using ? this.using(using) : this.all();
    return qs.get({ [field]: username } as never) as Promise<U>;
  }
}

/**
 * The password and last-login part of a user, for custom user models.
 *
 * @example
 * ```ts
 * class Member extends AbstractBaseUser.extend({ email: EmailField({ unique: true }) }) {
 *   static USERNAME_FIELD = 'email';
 * }
 * ```
 */
export class AbstractBaseUser extends Model(
  {
    password: CharField({ maxLength: 128, verboseName: 'password' }),
    lastLogin: DateTimeField({ null: true, blank: true, verboseName: 'last login' }),
  },
  { abstract: true },
) {
  /** The field that identifies a user (Django's `USERNAME_FIELD`). */
  static USERNAME_FIELD = 'username';
  /** Fields `createsuperuser` asks for besides the username and password. */
  static REQUIRED_FIELDS: readonly string[] = ['email'];

  /** The raw password set since the last save, for the validators' `passwordChanged`. */
  private rawPassword: string | null = null;

  get isAuthenticated(): true {
    return true;
  }
  get isAnonymous(): false {
    return false;
  }

  /** The value of the username field. */
  getUsername(): string {
    const field = (this.constructor as typeof AbstractBaseUser).USERNAME_FIELD;
    return String((this as unknown as Record<string, unknown>)[field]);
  }

  /** Hashes and stores `raw` (`null` makes the password unusable). */
  async setPassword(raw: string | null): Promise<void> {
    this.password = await makePassword(raw);
    this.rawPassword = raw;
  }

  /** Marks the password unusable (login with a password impossible). */
  async setUnusablePassword(): Promise<void> {
    this.password = await makePassword(null);
  }

  hasUsablePassword(): boolean {
    return isPasswordUsable(this.password);
  }

  /**
   * Whether `raw` is the password; a hash made with older settings is
   * upgraded and saved (Django's behaviour).
   */
  checkPassword(raw: string): Promise<boolean> {
    return checkPassword(raw, this.password, async (value) => {
      await this.setPassword(value);
      this.rawPassword = null;
      await this.save({ updateFields: ['password'] });
    });
  }

  override async save(options?: SaveOptions): Promise<void> {
    await super.save(options);
    if (this.rawPassword !== null) {
      passwordChanged(this.rawPassword, this as never);
      this.rawPassword = null;
    }
  }
}

/** What `hasPerm` and friends need of a user (Django's `PermissionsMixin`). */
async function permissionsOf(user: AbstractUser): Promise<Set<string>> {
  const cached = (user as unknown as Record<symbol, Set<string> | undefined>)[PERMISSION_CACHE];
  if (cached) return cached;
  const own = await Permission.objects
    .filter({ user__pk: user.pk } as never)
    .valuesList('contentType__appLabel', 'codename');
  const viaGroups = await Permission.objects
    .filter({ group__user__pk: user.pk } as never)
    .valuesList('contentType__appLabel', 'codename');
  const perms = new Set(
    [...own, ...viaGroups].map(([app, code]) => `${String(app)}.${String(code)}`),
  );
  (user as unknown as Record<symbol, Set<string>>)[PERMISSION_CACHE] = perms;
  return perms;
}

/**
 * Django's `AbstractUser`: username, names, e-mail, staff and active flags,
 * groups and permissions. Extend it for a custom user model.
 */
export class AbstractUser extends AbstractBaseUser.extend(
  {
    username: CharField({ maxLength: 150, unique: true, verboseName: 'username' }),
    firstName: CharField({ maxLength: 150, blank: true, verboseName: 'first name' }),
    lastName: CharField({ maxLength: 150, blank: true, verboseName: 'last name' }),
    email: EmailField({ blank: true, verboseName: 'email address' }),
    isStaff: BooleanField({ default: false, verboseName: 'staff status' }),
    isActive: BooleanField({ default: true, verboseName: 'active' }),
    isSuperuser: BooleanField({ default: false, verboseName: 'superuser status' }),
    dateJoined: DateTimeField({ default: now, verboseName: 'date joined' }),
    groups: ManyToManyField(() => Group, {
      blank: true,
      relatedName: 'user_set',
      relatedQueryName: 'user',
    }),
    userPermissions: ManyToManyField(() => Permission, {
      blank: true,
      relatedName: 'user_set',
      relatedQueryName: 'user',
    }),
  },
  { abstract: true },
) {
  /** `first last`, trimmed. */
  getFullName(): string {
    return `${this.firstName} ${this.lastName}`.trim();
  }

  getShortName(): string {
    return this.firstName;
  }

  /**
   * Whether the user has `perm` (`'library.change_book'`): active
   * superusers have every permission; inactive users none.
   *
   * @example
   * ```ts
   * if (await user.hasPerm('library.change_book')) { … }
   * ```
   */
  async hasPerm(perm: string): Promise<boolean> {
    if (!this.isActive) return false;
    if (this.isSuperuser) return true;
    return (await permissionsOf(this)).has(perm);
  }

  /** Whether the user has every one of `perms`. */
  async hasPerms(perms: readonly string[]): Promise<boolean> {
    for (const p of perms) if (!(await this.hasPerm(p))) return false;
    return true;
  }

  /** Whether the user has any permission in `appLabel`. */
  async hasModulePerms(appLabel: string): Promise<boolean> {
    if (!this.isActive) return false;
    if (this.isSuperuser) return true;
    return [...(await permissionsOf(this))].some((p) => p.startsWith(`${appLabel}.`));
  }

  /** Every permission string the user has, directly or through groups. */
  async getAllPermissions(): Promise<Set<string>> {
    return this.isActive ? new Set(await permissionsOf(this)) : new Set();
  }

  /** Forgets the cached permissions (after changing them). */
  clearPermissionCache(): void {
    delete (this as unknown as Record<symbol, unknown>)[PERMISSION_CACHE];
  }
}

/**
 * The default user model (`authUserModel: 'auth.User'`).
 *
 * @example
 * ```ts
 * const ann = await User.objects.createUser('ann', { password: 's3cret!' });
 * await ann.checkPassword('s3cret!'); // true
 * ```
 */
export class User extends AbstractUser.extend(
  {},
  { appLabel: 'auth', dbTable: 'auth_user', verboseName: 'user', swappable: 'authUserModel' },
) {
  static override objects = new UserManager<User>();
}

/** The user of a request nobody is logged in on (Django's `AnonymousUser`). */
export class AnonymousUser {
  readonly id = null;
  readonly pk = null;
  readonly username = '';
  readonly isStaff = false;
  readonly isActive = false;
  readonly isSuperuser = false;
  get isAuthenticated(): false {
    return false;
  }
  get isAnonymous(): true {
    return true;
  }
  async hasPerm(): Promise<boolean> {
    return false;
  }
  async hasPerms(): Promise<boolean> {
    return false;
  }
  async hasModulePerms(): Promise<boolean> {
    return false;
  }
  async getAllPermissions(): Promise<Set<string>> {
    return new Set();
  }
  toString(): string {
    return 'AnonymousUser';
  }
}

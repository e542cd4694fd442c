/**
 * Authentication (Django's `authenticate` and `ModelBackend`): backends are
 * asked in order; the model backend checks a username and password against
 * the user model, spending the same time whether the user exists or not.
 */
import { settings } from '../../conf/settings.js';
import { ImproperlyConfigured } from '../../core/exceptions.js';
import { apps } from '../../db/models/registry.js';
import { Signal } from '../../signals/index.js';
import { runDummyHasher } from '../hashers/index.js';
import type { AbstractBaseUser, UserManager } from './user.js';

/** A user model class as authentication sees it. */
export interface UserModel {
  readonly USERNAME_FIELD: string;
  readonly objects: UserManager<any>;
  readonly DoesNotExist: new (...args: never[]) => Error;
}

/** An authentication backend: returns the user the credentials belong to, or null. */
export interface AuthenticationBackend {
  authenticate(
    credentials: Readonly<Record<string, unknown>>,
    request?: unknown,
  ): Promise<AbstractBaseUser | null>;
}

/** Sent when `authenticate` finds no user (credentials without the password). */
export const userLoginFailed = new Signal<{
  credentials: Record<string, unknown>;
  request: unknown;
}>();

/**
 * The user model named by `authUserModel` (Django's `get_user_model()`).
 *
 * @example
 * ```ts
 * const User = getUserModel();
 * ```
 */
export function getUserModel(): UserModel {
  const label = settings.authUserModel;
  try {
    return apps.getModel(label) as unknown as UserModel;
  } catch {
    throw new ImproperlyConfigured(
      `authUserModel refers to model '${label}' that has not been installed`,
    );
  }
}

/** Checks a username (the user model's `USERNAME_FIELD`) and password. */
export class ModelBackend implements AuthenticationBackend {
  async authenticate(
    credentials: Readonly<Record<string, unknown>>,
  ): Promise<AbstractBaseUser | null> {
    const User = getUserModel();
    const username = credentials.username ?? credentials[User.USERNAME_FIELD];
    const password = credentials.password;
    if (typeof username !== 'string' || typeof password !== 'string') return null;
    let user: AbstractBaseUser;
    try {
      user = await User.objects.getByNaturalKey(username);
    } catch (e) {
      if (!(e instanceof User.DoesNotExist)) throw e;
      // As long as a wrong password for a real user: response times do not reveal accounts.
      await runDummyHasher(password);
      return null;
    }
    return (await user.checkPassword(password)) && this.userCanAuthenticate(user) ? user : null;
  }

  /** Inactive users cannot log in (Django's `user_can_authenticate`). */
  userCanAuthenticate(user: AbstractBaseUser): boolean {
    return (user as unknown as { isActive?: boolean }).isActive !== false;
  }
}

const BUILTIN_BACKENDS: Readonly<Record<string, () => AuthenticationBackend>> = {
  ModelBackend: () => new ModelBackend(),
};

/** The configured backends, in order. */
export function getBackends(): AuthenticationBackend[] {
  return settings.authenticationBackends.map((b) => {
    if (typeof b !== 'string') return b as AuthenticationBackend;
    const make = BUILTIN_BACKENDS[b];
    if (!make) throw new ImproperlyConfigured(`Unknown authentication backend '${b}'.`);
    return make();
  });
}

/**
 * The user the credentials belong to, from the first backend that knows
 * them, or null (and `userLoginFailed` is sent).
 *
 * @example
 * ```ts
 * const user = await authenticate({ username: 'ann', password: 's3cret!' });
 * ```
 */
export async function authenticate(
  credentials: Readonly<Record<string, unknown>>,
  request?: unknown,
): Promise<AbstractBaseUser | null> {
  for (const backend of getBackends()) {
    const user = await backend.authenticate(credentials, request);
    if (user) {
      (user as unknown as { backend?: string }).backend = backend.constructor.name;
      return user;
    }
  }
  const { password: _hidden, ...shown } = credentials;
  await userLoginFailed.send(authenticate, {
    credentials: { ...shown, password: '********************' },
    request,
  });
  return null;
}

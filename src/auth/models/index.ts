/**
 * `reinhardt/auth/models`: the auth app's models (users, groups,
 * permissions), authentication, and the permissions made after `migrate`.
 * Installed with `installedApps: ['reinhardt.contrib.contenttypes', 'reinhardt.contrib.auth', …]`.
 */
import { isConfigured, settings } from '../../conf/settings.js';
import { Group, Permission } from './permissions.js';
import { User } from './user.js';
import './management.js';

export { Group, Permission, DEFAULT_PERMISSIONS } from './permissions.js';
export { AbstractBaseUser, AbstractUser, AnonymousUser, User, UserManager } from './user.js';
export {
  authenticate,
  getBackends,
  getUserModel,
  ModelBackend,
  userLoginFailed,
  type AuthenticationBackend,
  type UserModel,
} from './backends.js';
export { createPermissions } from './management.js';

/** The models this app registers: `User` only while it is the configured user model. */
export const models =
  !isConfigured() || settings.authUserModel.toLowerCase() === 'auth.user'
    ? { Permission, Group, User }
    : { Permission, Group };

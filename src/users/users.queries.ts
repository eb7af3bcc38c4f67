/**
 * The raw SQL of the users module; users are otherwise read and written
 * through the User entity.
 */

/**
 * Taken before looking for the first user, for the rest of the transaction:
 * two servers starting at once with BOOTSTRAP_ADMIN_* set cannot both find
 * the table empty and both create an administrator. Reads go on; writes wait.
 */
export const LOCK_USERS_FOR_BOOTSTRAP = 'LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE';

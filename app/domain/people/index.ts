export {
  createUser,
  setUserRoles,
  updateUserProfile,
  setUserActive,
  resetPassword,
  changeOwnPassword,
  setUserLocale,
  listUsers,
  getUser,
  findUserIdByLogin,
  countLockedUsers,
  normaliseRoles,
} from "./users.server";
export type { NewUser, UserListFilter, UserListRow } from "./users.server";

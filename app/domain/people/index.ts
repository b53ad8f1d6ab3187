export {
  createUser,
  setUserRoles,
  updateUserProfile,
  setUserActive,
  unlockUser,
  resetPassword,
  changeOwnPassword,
  setUserLocale,
  listUsers,
  getUser,
  findUserIdByLogin,
  countLockedUsers,
  grantRoleToPerson,
  normaliseRoles,
} from "./users.server";
export type { NewUser, UserDetail, UserListFilter, UserListRow } from "./users.server";
export { displayName, roleChoices, districtChoices, grantsFromForm, REPEATED_FIELDS } from "./schemas";

// Messages of the users area. Keys start with "users.".
const en = {
  "users.title": "Users",
} as const;

const zhCN = {
  "users.title": "用户",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };

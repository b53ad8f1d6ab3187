// Administration: users, organisation structure, settings, audit log.
const en = {
  "admin.title": "Administration",
  "admin.users.loginFormat": "Use lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit.",
  "admin.users.loginTaken": "That login name is already in use.",
  "admin.users.cannotDisableSelf": "You cannot disable your own account.",
  "admin.settings.badTimeZone": "Enter a time zone such as Asia/Shanghai.",
} as const;

const zhCN = {
  "admin.title": "系统管理",
  "admin.users.loginFormat": "请使用小写字母、数字、点、短横线或下划线，并以字母或数字开头。",
  "admin.users.loginTaken": "该登录名已被使用。",
  "admin.users.cannotDisableSelf": "不能停用您自己的账户。",
  "admin.settings.badTimeZone": "请输入时区，例如 Asia/Shanghai。",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };

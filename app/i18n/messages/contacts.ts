// Messages of the contacts area (clients issue). Keys start with "contacts.".
const en = {
  "contacts.title": "Contact log",
} as const;

const zhCN = {
  "contacts.title": "帮教记录",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };

// Messages of the audit area. Keys start with "audit.".
const en = {
  "audit.title": "Audit log",
} as const;

const zhCN = {
  "audit.title": "审计日志",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };

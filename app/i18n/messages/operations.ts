// Messages of the operations area: Operations (backups, restore, server health). Keys start with "operations.".
const en = {
  "operations.title": "Operations (backups, restore, server health)",
} as const;

const zhCN = {
  "operations.title": "运维（备份与恢复）",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };

// Messages of the casework area (clients issue). Keys start with "casework.".
const en = {
  "casework.title": "Case work",
} as const;

const zhCN = {
  "casework.title": "个案工作",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };

// Messages of the registry area (training issue). Keys start with "registry.".
const en = {
  "registry.title": "Peer-tutor registry",
} as const;

const zhCN = {
  "registry.title": "同伴辅导员名册",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };

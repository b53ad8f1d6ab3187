// Messages of the training area (training issue). Keys start with "training.".
const en = {
  "training.title": "Training",
} as const;

const zhCN = {
  "training.title": "培训",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };

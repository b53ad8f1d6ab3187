declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce: string;
  }
}
declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}
export {};

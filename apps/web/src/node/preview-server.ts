// The built site (dist/) served by Vite's preview server on 127.0.0.1, on a free port, with the
// page's COOP/COEP headers: what the browser test and the bench load.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { preview } from "vite";

/** A running preview server. */
export interface PreviewServer {
  /** The site's root URL, ending in "/". */
  readonly url: string;
  close(): Promise<void>;
}

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Serves apps/web/dist (built by `vite build`, which the test and bench scripts run first). */
export async function servePreview(): Promise<PreviewServer> {
  if (!existsSync(new URL("../../dist/index.html", import.meta.url))) {
    throw new Error("apps/web/dist is missing: run `pnpm --filter @scm/web build` first.");
  }
  const server = await preview({
    root,
    configFile: fileURLToPath(new URL("../../vite.config.ts", import.meta.url)),
    logLevel: "warn",
    preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address();
  if (address === null || typeof address === "string") throw new Error("The preview server has no port.");
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => server.close(),
  };
}

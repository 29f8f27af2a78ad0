// Runs a package README's ```ts example as written, its imports mapped onto given modules (the
// package's sources), with `console` replaced so the test can check what the example prints.
import { readFileSync } from "node:fs";

/**
 * The first ```ts block of the README at `readmeUrl`, with `import { a } from "m";` →
 * `const { a } = modules["m"];` and a default import `import a from "m";` → `const a = modules["m"];`.
 */
export function readmeExample(readmeUrl) {
  const readme = readFileSync(readmeUrl, "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined) throw new Error(`${readmeUrl} has no \`\`\`ts block.`);
  return code
    .replace(
      /^import \{([^}]*)\} from "([^"]+)";$/gm,
      (_, names, from) => `const {${names}} = modules[${JSON.stringify(from)}];`,
    )
    .replace(
      /^import (\w+) from "([^"]+)";$/gm,
      (_, name, from) => `const ${name} = modules[${JSON.stringify(from)}];`,
    );
}

/** Runs the README's example with `modules` for its imports; resolves to what it logged, call by call. */
export async function runReadmeExample(readmeUrl, modules) {
  const logged = [];
  const log = (...args) => logged.push(args);
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  await new AsyncFunction("modules", "console", readmeExample(readmeUrl))(modules, { log });
  return logged;
}

// Builds the dashboard page's front end into the project's Voilà template (see src/page.js for why).
//
//   npm ci && node build.mjs        (or: python scripts/regenerate.py --only frontend)
//
// Writes static/page.<hash>.js and static/page.<hash>.css (minified; the hash names the content, so the
// server caches them for a year as immutable) and frontend.html.j2, the tags the template includes.
// The output depends only on package-lock.json and src/: a test rebuilds it and compares.

import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || join(here, "..", "iliopsoas_lib", "server", "share", "voila", "templates", "iliopsoas");
const ANYWIDGET_DEFINE = 'define(["@jupyter-widgets/base"], widget_default);';

// anywidget's npm build ends in an AMD define() for JupyterLab's loader; the page imports it as a module.
const anywidgetAsModule = {
  name: "anywidget-as-module",
  setup(b) {
    b.onLoad({ filter: /anywidget[\\/]dist[\\/]index\.js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes(ANYWIDGET_DEFINE)) {
        throw new Error(`anywidget's build changed: ${ANYWIDGET_DEFINE} not found in ${args.path}`);
      }
      return { contents: text.replace(ANYWIDGET_DEFINE, "export default widget_default;"), loader: "js" };
    });
  },
};

const result = await build({
  entryPoints: { page: join(here, "src", "page.js"), style: join(here, "src", "page.css") },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["chrome100", "safari15", "firefox100"],
  legalComments: "eof",
  loader: { ".svg": "dataurl", ".woff": "empty", ".woff2": "empty", ".ttf": "empty", ".eot": "empty" },
  define: { "process.env.NODE_ENV": '"production"' },
  plugins: [anywidgetAsModule],
  write: false,
  outdir: "out",
  logLevel: "warning",
});

const staticDir = join(out, "static");
mkdirSync(staticDir, { recursive: true });
for (const name of readdirSync(staticDir)) {
  if (/^page\.[0-9a-f]+\.(js|css)$/.test(name)) {
    rmSync(join(staticDir, name));
  }
}
const names = {};
for (const file of result.outputFiles) {
  const base = file.path.split(/[\\/]/).pop();
  const hash = createHash("sha256").update(file.contents).digest("hex").slice(0, 12);
  const kind = base.endsWith(".css") ? "css" : "js";
  const name = `page.${hash}.${kind}`;
  writeFileSync(join(staticDir, name), file.contents);
  names[kind] = name;
  console.log(`${name}: ${file.contents.length} bytes`);
}
writeFileSync(
  join(out, "frontend.html.j2"),
  `{#- Written by frontend/build.mjs: the page's own front end (frontend/src), content-named. -#}\n` +
    `<link rel="stylesheet" href="{{ resources.base_url }}voila/templates/iliopsoas/static/${names.css}">\n` +
    `<script defer src="{{ resources.base_url }}voila/templates/iliopsoas/static/${names.js}"></script>\n`,
);

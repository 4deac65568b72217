// Vendors the design system, its font, htmx and axe-core into the repository (run by
// `make frontend`, which needs npm; a clean clone needs neither: the output is committed).
// The list of files and their SHA-256 goes to vendor/MANIFEST.json, which a test checks.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const out = join(root, "platform/giamsat/web/static/vendor");
const testsOut = join(root, "tests/browser/vendor");
const modules = join(here, "node_modules");
const version = (name) => JSON.parse(readFileSync(join(modules, name, "package.json"))).version;

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "fonts"), { recursive: true });
mkdirSync(testsOut, { recursive: true });

// The font: regular and bold, Vietnamese + Latin subsets, woff2 only.
const fontCss = [];
for (const weight of ["400", "700"]) {
  const css = readFileSync(join(modules, "@fontsource/be-vietnam-pro", `${weight}.css`), "utf8");
  for (const block of css.split("/*").slice(1)) {
    const name = block.slice(0, block.indexOf("*/")).trim();
    if (!/-(vietnamese|latin|latin-ext)-\d+-normal$/.test(name)) continue;
    const file = `${name}.woff2`;
    copyFileSync(join(modules, "@fontsource/be-vietnam-pro/files", file), join(out, "fonts", file));
    const rule = block.slice(block.indexOf("@font-face"));
    fontCss.push(rule.replace(/src: [^;]+;/, `src: url(fonts/${file}) format('woff2');`).trim());
  }
}

const compiled = sass.compile(join(here, "theme.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "mixed-decls", "slash-div"],
});
// sass starts non-ASCII output with a byte-order mark, which mid-file would break a selector.
const body = compiled.css.replace(/^\uFEFF/, "");
writeFileSync(join(out, "frontend.css"), `@charset "UTF-8";\n${fontCss.join("\n")}\n${body}\n`);

copyFileSync(join(modules, "govuk-frontend/dist/govuk/govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
copyFileSync(join(modules, "htmx.org/dist/htmx.min.js"), join(out, "htmx.min.js"));
copyFileSync(join(modules, "@fontsource/be-vietnam-pro/LICENSE"), join(out, "LICENSE-be-vietnam-pro.txt"));
const licence = (name) => JSON.parse(readFileSync(join(modules, name, "package.json"))).license;
writeFileSync(
  join(out, "NOTICE.txt"),
  ["govuk-frontend", "@fontsource/be-vietnam-pro", "htmx.org"]
    .map((n) => `${n} ${version(n)}: ${licence(n)} (https://www.npmjs.com/package/${n})`)
    .join("\n") + "\n",
);
copyFileSync(join(modules, "axe-core/axe.min.js"), join(testsOut, "axe.min.js"));

const files = {};
const digest = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");
for (const name of readdirSync(out, { recursive: true }).sort()) {
  const path = join(out, name);
  if (statSync(path).isFile()) files[relative(root, path)] = digest(path);
}
files[relative(root, join(testsOut, "axe.min.js"))] = digest(join(testsOut, "axe.min.js"));
const manifest = {
  built_by: "frontend/build.mjs (make frontend)",
  paths: "relative to the repository root",
  packages: Object.fromEntries(
    ["govuk-frontend", "@fontsource/be-vietnam-pro", "htmx.org", "axe-core", "sass"].map((n) => [n, version(n)]),
  ),
  files,
};
writeFileSync(join(out, "MANIFEST.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(manifest);

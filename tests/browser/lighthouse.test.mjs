// Lighthouse (npm) with Debian's Chromium on an article page in each script:
// performance, accessibility, best practices and SEO must each score 95 or
// more. The scores are printed, so CI's log shows them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { serveSite, siteDir } from "./helpers.mjs";

const cli = createRequire(import.meta.url).resolve("lighthouse/cli/index.js");
const categories = ["performance", "accessibility", "best-practices", "seo"];
let site;
before(async () => { site = await serveSite(siteDir()); });
after(() => site?.close());

function lighthouse(url) {
  const args = [cli, url, "--quiet", "--output=json", `--only-categories=${categories.join(",")}`,
    "--chrome-flags=--headless=new --no-sandbox --disable-gpu"];
  const env = { ...process.env, CHROME_PATH: process.env.CHROMIUM || "/usr/bin/chromium" };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout)));
  });
}

for (const variant of ["zh-hant", "zh-hans"]) {
  test(`Lighthouse scores an article page 95+ in every category, ${variant}`, { timeout: 180_000 }, async () => {
    const report = await lighthouse(`${site.url}${variant}/articles/hkust-elastocaloric-cooler/`);
    const scores = Object.fromEntries(categories.map((c) => [c, Math.round(report.categories[c].score * 100)]));
    console.log(`lighthouse ${variant}: ${categories.map((c) => `${c} ${scores[c]}`).join(", ")}`);
    for (const c of categories) assert.ok(scores[c] >= 95, `${c}: ${scores[c]}`);
  });
}

// Lighthouse (npm) with Debian's Chromium on an article page in each script:
// performance, accessibility, best practices and SEO must each score 95 or
// more. The scores are printed, so CI's log shows them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { lighthouse, serveSite, siteDir } from "./helpers.mjs";

const categories = ["performance", "accessibility", "best-practices", "seo"];
let site;
before(async () => { site = await serveSite(siteDir()); });
after(() => site?.close());

for (const variant of ["zh-hant", "zh-hans"]) {
  test(`Lighthouse scores an article page 95+ in every category, ${variant}`, { timeout: 180_000 }, async () => {
    const report = await lighthouse(`${site.url}${variant}/articles/hkust-elastocaloric-cooler/`, categories);
    const scores = Object.fromEntries(categories.map((c) => [c, Math.round(report.categories[c].score * 100)]));
    console.log(`lighthouse ${variant}: ${categories.map((c) => `${c} ${scores[c]}`).join(", ")}`);
    for (const c of categories) assert.ok(scores[c] >= 95, `${c}: ${scores[c]}`);
  });
}

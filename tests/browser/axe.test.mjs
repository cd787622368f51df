// Accessibility: axe-core (the engine of the browser extensions and of
// Lighthouse's accessibility audit) run inside Chromium on every kind of
// page, in both scripts. Any violation fails, with its rule and elements.
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedWithBrowser, watchedPage, siteDir, violations } from "./helpers.mjs";

const served = servedWithBrowser(siteDir());

const pages = {
  home: "",
  article: "articles/hkust-elastocaloric-cooler/",
  topic: "topics/universities/",
  day: "2025/03/07/",
  archive: "archive/",
  "topic month": "topics/universities/2025/03/",
  "topic archive": "topics/universities/archive/",
  topics: "topics/",
  search: "search/",
  "404": "404.html",
};

test("the check can fail: an image without a text alternative is caught", async () => {
  const { page } = await watchedPage(served.browser);
  await page.goto(`${served.site.url}zh-hant/`);
  await page.evaluate(() => document.querySelector("main").append(document.createElement("img")));
  const found = await violations(page);
  await page.close();
  assert.ok(found.some((v) => v.startsWith("image-alt")), JSON.stringify(found));
});

for (const variant of ["zh-hant", "zh-hans"]) {
  for (const [kind, path] of Object.entries(pages)) {
    test(`${kind} page, ${variant}: no axe-core violations`, async () => {
      const { page } = await watchedPage(served.browser);
      await page.goto(`${served.site.url}${variant}/${path}`);
      const found = await violations(page);
      await page.close();
      assert.deepEqual(found, []);
    });
  }
}

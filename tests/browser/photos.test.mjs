// Photos as a phone and a desktop load them. Needs PHOTO_DIR: a built site
// with an article (photo-story) whose lead photo is a 12-megapixel camera
// JPEG and whose body shows two more, made by .ci/run from Debian's
// wallpaper photographs. A 390-pixel phone at device pixel ratio 3 must
// load at most 400 KB of images for the whole article, the right size is
// chosen at 390 and 1280 pixels, nothing shifts as the photos arrive, and
// Lighthouse's mobile performance is 95 or more.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lighthouse, servedWithBrowser, violations, watchedPage } from "./helpers.mjs";

const dir = process.env.PHOTO_DIR;
const served = servedWithBrowser(dir);
const skip = !dir && "set PHOTO_DIR";
const article = "zh-hant/articles/photo-story/";

/** Loads the article at `viewport`, scrolled to its end so every lazy
 * photo loads; returns image bytes, the lead's chosen file, and the layout
 * shift. */
async function load(viewport, deviceScaleFactor) {
  const { page, problems } = await watchedPage(served.browser, { viewport, deviceScaleFactor });
  let bytes = 0;
  page.on("response", async (response) => {
    if (response.request().resourceType() === "image") {
      bytes += (await response.body().catch(() => Buffer.alloc(0))).length;
    }
  });
  await page.addInitScript(() => {
    globalThis.shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) globalThis.shift += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(`${served.site.url}${article}`, { waitUntil: "networkidle" });
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 300) {
      window.scrollTo(0, y);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  });
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  const chosen = await page.$$eval("main img", (images) =>
    images.map((img) => img.currentSrc.split("/").pop()));
  const shift = await page.evaluate(() => globalThis.shift);
  await page.close();
  return { bytes, chosen, shift, problems };
}

test("a 390-pixel phone (DPR 3) loads at most 400 KB of photos, the 1200-pixel WebPs, with no shift", { skip }, async () => {
  const phone = await load({ width: 390, height: 844 }, 3);
  console.log(`photos at 390 px, DPR 3: ${(phone.bytes / 1024).toFixed(0)} KB, ${phone.chosen.join(", ")}, shift ${phone.shift}`);
  assert.deepEqual(phone.problems, []);
  assert.equal(phone.chosen.length, 3);
  for (const file of phone.chosen) assert.match(file, /-1200w\.webp$/);
  assert.ok(phone.bytes <= 400 * 1024, `${phone.bytes} bytes`);
  assert.equal(phone.shift, 0);
});

test("a 1280-pixel desktop (DPR 1) loads the 800-pixel WebPs for the 36em column, with no shift", { skip }, async () => {
  const desktop = await load({ width: 1280, height: 800 }, 1);
  console.log(`photos at 1280 px, DPR 1: ${(desktop.bytes / 1024).toFixed(0)} KB, ${desktop.chosen.join(", ")}, shift ${desktop.shift}`);
  assert.deepEqual(desktop.problems, []);
  for (const file of desktop.chosen) assert.match(file, /-800w\.webp$/);
  assert.equal(desktop.shift, 0);
});

test("Lighthouse's mobile performance on the photo article is 95 or more", { skip, timeout: 180_000 }, async () => {
  const report = await lighthouse(`${served.site.url}${article}`, ["performance"]);
  const score = Math.round(report.categories.performance.score * 100);
  const cls = report.audits["cumulative-layout-shift"].numericValue;
  console.log(`lighthouse photo article (mobile): performance ${score}, CLS ${cls}`);
  assert.ok(score >= 95, `performance ${score}`);
  assert.equal(cls, 0);
});

for (const variant of ["zh-hant", "zh-hans"]) {
  test(`the photo article, ${variant}: no axe-core violations, alt text and captions in the page's script`, { skip }, async () => {
    const { page, problems } = await watchedPage(served.browser);
    await page.goto(`${served.site.url}${variant}/articles/photo-story/`);
    const found = await violations(page);
    const alts = await page.$$eval("main img", (images) => images.map((img) => img.alt));
    const captions = await page.$$eval("main figcaption", (c) => c.map((e) => e.textContent.trim()));
    await page.close();
    assert.deepEqual(found, []);
    assert.deepEqual(problems, []);
    const expected = variant === "zh-hant"
      ? [["烏雲籠罩着遠處的山丘和草地", "一隻瓢蟲停在綠葉上", "花園裏盛開的花叢"], "暴雨過後，雲層在山脊上散開。 圖片來源：本報記者"]
      : [["乌云笼罩着远处的山丘和草地", "一只瓢虫停在绿叶上", "花园里盛开的花丛"], "暴雨过后，云层在山脊上散开。 图片来源：本报记者"];
    assert.deepEqual(alts, expected[0]);
    assert.equal(captions[0], expected[1]);
  });
}

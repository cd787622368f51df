// A reader's walk through the built shipped site in headless Chromium, in
// both scripts: the root page, an article, the script switcher, a topic and
// its second page, the 404 page. No console errors or failed requests on the
// way. Screenshots of the home and an article page at phone and desktop
// widths go to $SCREENSHOT_DIR (a CI artifact, never committed).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { serveSite, launch, watchedPage, siteDir } from "./helpers.mjs";

const shots = process.env.SCREENSHOT_DIR || new URL("./screenshots/", import.meta.url).pathname;
const archive = process.env.ARCHIVE_DIR;
let site, archiveSite, browser;
before(async () => {
  site = await serveSite(siteDir());
  if (archive) archiveSite = await serveSite(archive);
  browser = await launch();
  await mkdir(shots, { recursive: true });
});
after(async () => { await browser?.close(); site?.close(); archiveSite?.close(); });

test("root → home → article → the other script → a topic, with no errors", async () => {
  const { page, problems } = await watchedPage(browser, { locale: "zh-HK" });
  // The root page sends a Hong Kong reader to the Traditional site.
  await page.goto(site.url);
  await page.waitForURL(/\/zh-hant\/$/);
  assert.equal(await page.getAttribute("html", "lang"), "zh-Hant-HK");
  assert.equal(await page.locator("h1").count(), 1);

  // Follow the first article.
  const first = page.locator("main article h2 a").first();
  const headline = (await first.textContent()).trim();
  await first.click();
  await page.waitForURL(/\/zh-hant\/articles\/([a-z0-9-]+)\/$/);
  const slug = page.url().match(/articles\/([a-z0-9-]+)\//)[1];
  assert.equal((await page.locator("h1").textContent()).trim(), headline);

  // Switch script: the same article, in Simplified, and the choice is kept.
  const switcher = page.getByRole("navigation", { name: "切換字體" });
  await switcher.locator('a[data-variant="zh-hans"]').click();
  await page.waitForURL(new RegExp(`/zh-hans/articles/${slug}/$`));
  assert.equal(await page.getAttribute("html", "lang"), "zh-Hans");
  const simplified = (await page.locator("h1").textContent()).trim();
  assert.notEqual(simplified, headline, "the headline is converted");
  assert.equal(await page.locator('.switcher [aria-current="page"]').textContent(), "简体");

  // A topic of the article, in Simplified.
  const topic = page.locator(".article-topics a").first();
  const topicName = (await topic.textContent()).trim();
  await topic.click();
  await page.waitForURL(/\/zh-hans\/topics\/[a-z0-9-]+\/$/);
  assert.equal((await page.locator("h1").textContent()).trim(), topicName);
  assert.ok(await page.locator(`main a[href$="/articles/${slug}/"]`).count() > 0, "the topic lists the article");

  // Back at the root, the reader's choice of script is remembered.
  await page.goto(site.url);
  await page.waitForURL(/\/zh-hans\/$/);
  await page.close();
  assert.deepEqual(problems, []);
});

test("a topic's second page, from its pagination", { skip: !archive && "set ARCHIVE_DIR" }, async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${archiveSite.url}zh-hant/topics/ai/`);
  const pagination = page.getByRole("navigation", { name: "分頁" });
  await pagination.locator('a[rel="next"]').click();
  await page.waitForURL(/\/zh-hant\/topics\/ai\/page\/2\/$/);
  assert.equal(await pagination.locator('[aria-current="page"]').textContent(), "2");
  assert.equal(await page.locator("main article").count(), 10);
  await pagination.locator('a[rel="prev"]').click();
  await page.waitForURL(/\/zh-hant\/topics\/ai\/$/);
  await page.close();
  assert.deepEqual(problems, []);
});

test("a missing page answers with the 404 page, which leads to both scripts", async () => {
  const { page, problems } = await watchedPage(browser);
  // Static hosts answer any missing address with /404.html.
  const response = await page.goto(`${site.url}zh-hans/no-such-page/`);
  assert.equal(response.status(), 404);
  assert.match(await page.locator("h1").textContent(), /找不到這一頁/);
  await page.locator('main a[lang="zh-Hans"]').click();
  await page.waitForURL(/\/zh-hans\/$/);
  // Hosts that serve a 404 page per folder get one in each script.
  await page.goto(`${site.url}zh-hans/404.html`);
  assert.match(await page.locator("h1").textContent(), /找不到这一页/);
  await page.close();
  // The only failed request is the missing page itself (which Chromium also
  // logs to the console).
  assert.deepEqual(problems, [
    `404: ${site.url}zh-hans/no-such-page/`,
    "console: Failed to load resource: the server responded with a status of 404 (Not Found)",
  ]);
});

for (const width of [390, 1280]) {
  for (const variant of ["zh-hant", "zh-hans"]) {
    test(`screenshots at ${width} px, ${variant}`, async () => {
      const { page, problems } = await watchedPage(browser, { viewport: { width, height: 900 } });
      await page.goto(`${site.url}${variant}/`);
      await page.screenshot({ path: `${shots}/home-${variant}-${width}.png`, fullPage: true });
      // Nothing wider than the screen: no sideways scrolling on a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the home page is ${overflow} px wider than ${width} px`);
      await page.goto(`${site.url}${variant}/articles/hkust-elastocaloric-cooler/`);
      await page.screenshot({ path: `${shots}/article-${variant}-${width}.png`, fullPage: true });
      const articleOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(articleOverflow <= 0, `the article is ${articleOverflow} px wider than ${width} px`);
      await page.close();
      assert.deepEqual(problems, []);
    });
  }
}

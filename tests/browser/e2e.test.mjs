// A reader's walk through the built shipped site in headless Chromium, in
// both scripts: the root page, an article, the script switcher, a topic,
// the 404 page (the archive's pages: archive-walk.test.mjs). No console errors or failed requests on the
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

test("an article page loads under 30 KB of CSS and JavaScript", async () => {
  const { page, problems } = await watchedPage(browser);
  let bytes = 0;
  const counted = [];
  page.on("response", async (response) => {
    const type = response.request().resourceType();
    if (type === "stylesheet" || type === "script") {
      const body = await response.body();
      bytes += body.length;
      counted.push(`${response.url()} ${body.length}`);
    }
  });
  await page.goto(`${site.url}zh-hant/articles/hkust-elastocaloric-cooler/`, { waitUntil: "networkidle" });
  // Inline styles and scripts count too.
  bytes += await page.evaluate(() => [...document.querySelectorAll("style, script:not([src])")]
    .reduce((sum, e) => sum + new TextEncoder().encode(e.textContent).length, 0));
  await page.close();
  assert.ok(counted.length > 0, "the stylesheet was counted");
  assert.ok(bytes < 30 * 1024, `${bytes} bytes: ${counted.join("; ")}`);
  assert.deepEqual(problems, []);
});

test("from 320 px up, nothing is wider than the screen", async () => {
  for (const width of [320, 768, 1920]) {
    for (const path of ["zh-hant/", "zh-hans/articles/hkust-elastocaloric-cooler/", "zh-hant/topics/", "zh-hans/search/"]) {
      const { page } = await watchedPage(browser, { viewport: { width, height: 800 } });
      await page.goto(`${site.url}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await page.close();
      assert.ok(overflow <= 0, `${path} at ${width} px: ${overflow} px too wide`);
    }
  }
});

test("dark mode follows the system, print leaves out the navigation, focus is visible", async () => {
  const url = `${site.url}zh-hant/articles/hkust-elastocaloric-cooler/`;
  const { page, problems } = await watchedPage(browser);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const lightness = (rgb) => rgb.match(/\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0) / 3;
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(url);
  assert.ok(lightness(await background()) > 200, await background());
  await page.emulateMedia({ colorScheme: "dark" });
  assert.ok(lightness(await background()) < 60, await background());
  await page.emulateMedia({ media: "print", colorScheme: "light" });
  assert.equal(await page.locator(".topic-nav").isVisible(), false);
  assert.equal(await page.locator("h1").isVisible(), true);
  await page.emulateMedia({ media: "screen" });
  // The first Tab reaches the skip link, which shows itself with an outline.
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    return { cls: e.className, left: e.getBoundingClientRect().left, outline: style.outlineStyle };
  });
  assert.equal(focused.cls, "skip-link");
  assert.ok(focused.left >= 0, "the skip link comes on screen");
  await page.keyboard.press("Tab");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none", "focused links have an outline");
  await page.close();
  assert.deepEqual(problems, []);
});

/** Per paragraph of the article body: its lines, as laid out in the browser. */
function articleLines(page) {
  return page.evaluate(() => [...document.querySelectorAll(".article-body p")].map((p) => {
    const lines = [];
    let top = null;
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || !node.data[i].trim()) continue;
        if (top === null || rect.top > top + rect.height / 2) { lines.push(""); top = rect.top; }
        lines[lines.length - 1] += node.data[i];
      }
    }
    return lines;
  }));
}

test("article lines hold 30–40 characters on a wide screen, and closing punctuation never starts one", async () => {
  for (const [width, variant] of [[1280, "zh-hant"], [1280, "zh-hans"], [390, "zh-hant"], [390, "zh-hans"]]) {
    const { page } = await watchedPage(browser, { viewport: { width, height: 900 } });
    await page.goto(`${site.url}${variant}/articles/hkust-elastocaloric-cooler/`);
    const paragraphs = await articleLines(page);
    await page.close();
    const lines = paragraphs.flat();
    assert.ok(lines.length > 20, `${lines.length} lines`);
    const starts = lines.filter((line) => /^[，。、；：！？」』）》〉”’]/.test(line));
    assert.deepEqual(starts, [], `${variant} at ${width} px: lines starting with closing punctuation`);
    if (width === 1280) {
      // A Chinese character is one em wide: the measure in em is the number
      // of characters a line of Chinese text holds.
      const { page: again } = await watchedPage(browser, { viewport: { width, height: 900 } });
      await again.goto(`${site.url}${variant}/articles/hkust-elastocaloric-cooler/`);
      const measure = await again.$eval(".article-body p", (p) =>
        p.getBoundingClientRect().width / parseFloat(getComputedStyle(p).fontSize));
      await again.close();
      assert.ok(measure >= 30 && measure <= 40, `${variant}: ${measure.toFixed(1)} characters per line`);
      // And the laid-out lines agree: the median full line of pure text.
      const full = paragraphs.flatMap((p) => p.slice(0, -1)).filter((l) => !/[A-Za-z0-9]/.test(l)).map((l) => [...l].length).sort((a, b) => a - b);
      if (full.length) assert.ok(Math.abs(full[full.length >> 1] - measure) <= 2, `${full} vs ${measure}`);
    }
  }
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

// Search on the built shipped site: a query in either script finds the
// article, shown in the page's own script, on a static host.
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedWithBrowser, watchedPage, siteDir } from "./helpers.mjs";

const served = servedWithBrowser(siteDir());

async function search(variant, query) {
  const { page, problems } = await watchedPage(served.browser);
  await page.goto(`${served.site.url}${variant}/search/`);
  await page.waitForSelector("#search-input:not([disabled])");
  await page.fill("#search-input", query);
  await page.waitForFunction(() => document.querySelectorAll("#search-results a").length > 0, null, { timeout: 10000 });
  const results = await page.$$eval("#search-results a", (links) => links.map((a) => [a.textContent, new URL(a.href).pathname]));
  await page.close();
  assert.deepEqual(problems, []);
  return results;
}

test("a Simplified query finds the article on the Traditional site, in Traditional", async () => {
  const results = await search("zh-hant", "数码港");
  assert.ok(results.some(([title, href]) =>
    title === "打造AI技術生態圈 數碼港「招兵買馬」" && href === "/zh-hant/articles/cyberport-ai-ecosystem/"), JSON.stringify(results));
});

test("a Traditional query finds the article on the Simplified site, in Simplified", async () => {
  const results = await search("zh-hans", "數碼港");
  assert.ok(results.some(([title, href]) =>
    title === "打造AI技术生态圈 数码港“招兵买马”" && href === "/zh-hans/articles/cyberport-ai-ecosystem/"), JSON.stringify(results));
});

test("Latin words and the topic filter work", async () => {
  const { page, problems } = await watchedPage(served.browser);
  await page.goto(`${served.site.url}zh-hant/search/`);
  await page.waitForSelector("#search-input:not([disabled])");
  await page.selectOption("#search-topic", "大學");
  await page.fill("#search-input", "香港");
  await page.waitForFunction(() => document.querySelectorAll("#search-results a").length > 0, null, { timeout: 10000 });
  const hrefs = await page.$$eval("#search-results a", (links) => links.map((a) => new URL(a.href).pathname).sort());
  assert.deepEqual(hrefs, ["/zh-hant/articles/cityu-us-patents/", "/zh-hant/articles/hkust-elastocaloric-cooler/", "/zh-hant/articles/polyu-deepseek-forum/"]);
  await page.fill("#search-input", "GreenTech");
  await page.selectOption("#search-topic", "");
  await page.waitForFunction(() => [...document.querySelectorAll("#search-results a")].some((a) => a.href.includes("greentech")), null, { timeout: 10000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test("without JavaScript the search page says so", async () => {
  const context = await served.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${served.site.url}zh-hans/search/`);
  assert.match(await page.textContent("noscript"), /JavaScript/);
  await context.close();
});

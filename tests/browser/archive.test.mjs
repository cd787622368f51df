// Search across the shards of a large archive's index: an article in the
// oldest, the middle and the newest shard is found from one search box.
// Needs ARCHIVE_DIR: a built synthetic archive of 2,500 articles (three
// shards of at most 1,000), made by .ci/run with examples/corpus.rs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serveSite, launch, watchedPage } from "./helpers.mjs";

const archive = process.env.ARCHIVE_DIR;
let site, browser;
before(async () => {
  if (!archive) return;
  site = await serveSite(archive);
  browser = await launch();
});
after(async () => { await browser?.close(); site?.close(); });

// The corpus numbers its headlines: article archive-02221 is titled "…（2222）".
for (const [number, shard] of [["2222", "oldest"], ["1111", "middle"], ["333", "newest"]]) {
  test(`an article in the ${shard} shard is found`, { skip: !archive && "set ARCHIVE_DIR" }, async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${site.url}zh-hans/search/`);
    await page.waitForSelector("#search-input:not([disabled])");
    await page.fill("#search-input", number);
    const slug = `archive-${String(Number(number) - 1).padStart(5, "0")}`;
    await page.waitForFunction(
      (slug) => [...document.querySelectorAll("#search-results a")].some((a) => a.href.endsWith(`/zh-hans/articles/${slug}/`)),
      slug, { timeout: 15000 });
    const title = await page.$eval(`#search-results a[href$="/${slug}/"]`, (a) => a.textContent);
    assert.ok(title.endsWith(`（${number}）`), title);
    await page.close();
    assert.deepEqual(problems, []);
  });
}

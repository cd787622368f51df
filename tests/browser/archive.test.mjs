// Search across the blocks and tiers of a large archive's index: an article
// in the oldest, the middle and the newest block is found from one search
// box. Needs ARCHIVE_DIR: a built synthetic archive, made by .ci/run with
// examples/corpus.rs (2,500 articles: 20 blocks merged into one tier; on
// an archive of more than 5,000, run by hand, the oldest is in an older
// tier that the page merges only when the newer ones hold too few results).
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedWithBrowser, watchedPage } from "./helpers.mjs";

const archive = process.env.ARCHIVE_DIR;
const served = servedWithBrowser(archive);

// The corpus numbers its headlines: article archive-02221 is titled "…（2222）".
for (const [number, block] of [["2222", "oldest"], ["1111", "middle"], ["333", "newest"]]) {
  test(`an article in the ${block} block is found`, { skip: !archive && "set ARCHIVE_DIR" }, async () => {
    const { page, problems } = await watchedPage(served.browser);
    await page.goto(`${served.site.url}zh-hans/search/`);
    await page.waitForSelector("#search-input:not([disabled])");
    await page.fill("#search-input", number);
    const slug = `archive-${String(Number(number) - 1).padStart(5, "0")}`;
    const found = (slug) =>
      [...document.querySelectorAll("#search-results a")].some((a) => a.href.endsWith(`/zh-hans/articles/${slug}/`));
    // Found among the loaded tiers' first results, or, where many weak
    // matches of newer tiers outrank it there, once the whole archive is
    // searched (the button a reader would press).
    await page.waitForFunction(
      ([slug, found]) => new Function(`return (${found})`)()(slug) || !document.getElementById("search-all").hidden,
      [slug, found.toString()], { timeout: 15000 });
    if (!(await page.evaluate(([slug, found]) => new Function(`return (${found})`)()(slug), [slug, found.toString()]))) {
      await page.click("#search-all");
    }
    await page.waitForFunction(
      ([slug, found]) => new Function(`return (${found})`)()(slug), [slug, found.toString()], { timeout: 15000 });
    const title = await page.$eval(`#search-results a[href$="/${slug}/"]`, (a) => a.textContent);
    assert.ok(title.endsWith(`（${number}）`), title);
    await page.close();
    assert.deepEqual(problems, []);
  });
}

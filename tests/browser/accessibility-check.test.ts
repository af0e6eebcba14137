import { accessibilityProblems, browserSuite } from '../support/browser';

/**
 * The accessibility check every browser test runs on the pages it leaves (tests/support/browser.ts)
 * is axe-core itself: shown here to find what it must, so a clean run means something.
 */
const suite = browserSuite();

it('finds an image without a text alternative and a field without a label, and nothing on a page that has both', async () => {
  const page = await suite.pages.open();
  await page.goto(`${suite.api.url}/#/c/xingfu`);
  await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { body: { insertAdjacentHTML: (where: string, html: string) => void } } }).document;
    doc.body.insertAdjacentHTML('beforeend', '<div id="broken"><img src="/favicon.svg"><input type="text"></div>');
  });
  const problems = await accessibilityProblems(page);
  expect(problems.some((problem) => problem.includes('image-alt'))).toBe(true);
  expect(problems.some((problem) => problem.includes('label'))).toBe(true);
  await page.evaluate(() => (globalThis as unknown as { document: { getElementById: (id: string) => { remove: () => void } } }).document.getElementById('broken').remove());
  expect(await accessibilityProblems(page)).toEqual([]);
});

// Renders cards in Chromium and writes what each shows. One browser for all of them.
//   node render.js CARDS.json RESULTS.json [SCREENSHOT_DIR]
// CARDS.json: [{"name": ..., "card": {...}}]; every card at every width in WIDTHS.
// RESULTS.json: [{"name", "width", "warnings", "cut", "hidden", "text"}].
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

const WIDTHS = [320, 540];
const CHROMIUM = process.env.ADVISOR_CHROMIUM || "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function main([cardsFile, resultsFile, screenshots]) {
  const cards = JSON.parse(fs.readFileSync(cardsFile, "utf-8"));
  const hostConfig = JSON.parse(fs.readFileSync(path.join(__dirname, "teams-host-config.json"), "utf-8"));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "advisor-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 800, height: 600 },
  });
  try {
    const page = await browser.newPage();
    page.on("pageerror", (error) => { throw error; });
    await page.goto(`file://${path.join(__dirname, "page.html")}`);
    const results = [];
    for (const { name, card } of cards) {
      for (const width of WIDTHS) {
        const shown = await page.evaluate(
          ([payload, wide, config]) => window.renderCard(payload, wide, config),
          [card, width, hostConfig]
        );
        results.push({ name, width, ...shown });
        if (screenshots) {
          const file = path.join(screenshots, `${name.replace(/[^\w.-]+/g, "-")}-${width}.png`);
          await page.locator("#host").screenshot({ path: file });
        }
      }
    }
    fs.writeFileSync(resultsFile, JSON.stringify(results));
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});

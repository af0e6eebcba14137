// The deployment's settings (apiBaseUrl, defaultCommunity, cognito), from the data block index.html
// carries (<script type="application/json" id="linli-config">): the stack writes its own there when
// it deploys (lib/constructs/web.ts), so the first view waits for no settings file of its own.

/** The settings as index.html has them; {} when the block is missing or is not a JSON object. */
export function siteConfig() {
  try {
    const settings = JSON.parse(document.getElementById('linli-config')?.textContent ?? '{}');
    return settings && typeof settings === 'object' && !Array.isArray(settings) ? settings : {};
  } catch {
    return {};
  }
}

/*
 * Deployment settings for the residents' pages, the only file that differs between sites.
 * apiBaseUrl: where the API lives, e.g. 'https://api.example.org'; '' means the same origin
 *   (the local server serves these pages and the API together).
 * defaultCommunity: the community shown when a link names none; a community in the link wins.
 */
window.LINLI_CONFIG = {
  apiBaseUrl: '',
  defaultCommunity: '',
};

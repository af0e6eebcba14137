/*
 * Deployment settings for the residents' pages and the organisers' console, the only file that
 * differs between sites.
 * apiBaseUrl: where the API lives, e.g. 'https://api.example.org'; '' means the same origin
 *   (the local server serves these pages and the API together).
 * defaultCommunity: the community shown when a link names none; a community in the link wins.
 * cognito (absent here): the organisers' hosted login on AWS, e.g.
 *   cognito: { domain: 'https://linli-123456789012.auth.ap-east-1.amazoncognito.com',
 *              clientId: '…', redirectUri: 'https://console.example.org/' }
 *   With it, the console (#/console) signs in there (authorization code with PKCE); without it, the
 *   console takes a pasted token from `npm run --silent token -- organiser <communityId>`.
 */
window.LINLI_CONFIG = {
  apiBaseUrl: '',
  defaultCommunity: '',
  cognito: null,
};

const SECRET_PARAM = /([?&](?:password|pwd|pass)=)[^&#]*/gi;

/**
 * The same URL with its password replaced by `****`. Works on unparsable input too, so a malformed
 * URL can be shown in a message without echoing its password.
 * @example redactUrl('postgres://ann:s3cret@db/app') // 'postgres://ann:****@db/app'
 */
export function redactUrl(url: string): string {
  let out = url;
  const start = out.indexOf('//');
  if (start !== -1) {
    // The last '@' ends the userinfo even when a malformed password holds '/' or '@' itself:
    // redacting too much is harmless, redacting too little is not.
    const at = out.lastIndexOf('@');
    if (at > start) {
      const userinfo = out.slice(start + 2, at);
      const colon = userinfo.indexOf(':');
      if (colon !== -1) {
        out = `${out.slice(0, start + 2)}${userinfo.slice(0, colon)}:****${out.slice(at)}`;
      }
    }
  }
  return out.replace(SECRET_PARAM, '$1****');
}
